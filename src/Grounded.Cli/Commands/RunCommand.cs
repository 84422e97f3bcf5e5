using System.CommandLine;
using Grounded.Recipes;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded run recipe.yaml [input]</c>: a recipe's steps over an image, folder or glob.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var recipePath = new Argument<string>("recipe") { Description = "A recipe file (YAML or JSON); see recipes/." };
        var input = new Argument<string?>("input") { Description = "An image, a folder or a glob (default: the recipe's input).", Arity = ArgumentArity.ZeroOrOne };
        var segmenter = new Option<string?>("--segmenter") { Description = "Overrides the recipe's segmenter." };
        var inpaintModel = new Option<string?>("--inpaint-model") { Description = "Overrides the recipe's inpainting model." };
        var command = new Command("run", "Run a recipe: detect, segment, mask operations, inpaint and outputs as the file says.") { recipePath, input, segmenter, inpaintModel };
        foreach (var option in common.RunOptions.Prepend(common.Detector))
        {
            command.Add(option);
        }

        CliAction.Set(command, error, common.Verbose, async (parse, cancellationToken) =>
        {
            // Layers: defaults, the settings file, the recipe, then flags.
            var cli = CliSettings.From(parse, common, error);
            var recipe = RecipeLoader.Load(parse.GetValue(recipePath)!, parse.GetValue(common.Config) is { } config ? ConfigLoader.Load(config) : null);
            var s = recipe.Settings;
            var flags = cli.Settings;
            s = s with
            {
                Models = s.Models with
                {
                    Detector = parse.GetValue(common.Detector) ?? s.Models.Detector,
                    Segmenter = parse.GetValue(segmenter) ?? s.Models.Segmenter,
                    Inpainter = parse.GetValue(inpaintModel) ?? s.Models.Inpainter,
                },
                Runtime = s.Runtime with
                {
                    Device = parse.GetValue(common.Device) is null ? s.Runtime.Device : flags.Runtime.Device,
                    IntraOpThreads = parse.GetValue(common.Threads) ?? s.Runtime.IntraOpThreads,
                    Logger = flags.Runtime.Logger,
                },
                Output = s.Output with
                {
                    Formats = parse.GetValue(common.Format) is null ? s.Output.Formats : flags.Output.Formats,
                    Directory = parse.GetValue(common.Out) ?? s.Output.Directory ?? flags.Output.Directory,
                    Parallelism = parse.GetValue(common.Parallel) ?? s.Output.Parallelism,
                },
            };
            var steps = parse.GetValue(inpaintModel) is null ? recipe.Steps : [.. recipe.Steps.Select(step => step is InpaintRecipeStep i ? i with { Model = null } : step)];
            return await RecipeRun.RunAsync(command.Name, recipe with { Settings = s, Steps = steps }, parse.GetValue(input), cli, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
