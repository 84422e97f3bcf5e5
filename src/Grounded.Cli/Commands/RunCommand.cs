using System.CommandLine;
using Grounded.Pipeline.Recipes;

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
        foreach (var option in new Option[] { common.Detector, common.Out, common.Format, common.Device, common.Threads, common.Parallel, common.Timings, common.Json, common.NoDownload, common.ModelsDir, common.Verbose })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            bool verbose = parse.GetValue(common.Verbose);
            try
            {
                var recipe = RecipeLoader.Load(parse.GetValue(recipePath)!);
                var settings = RunSettings.From(parse, common, multimaskFlag: false, segmenterFlag: null, error);
                // The recipe's own device, outputs and models apply unless a flag says otherwise.
                settings = settings with
                {
                    Runtime = parse.GetValue(common.Device) is null && recipe.Device is { } device ? settings.Runtime with { Device = Onnx.ExecutionDevice.Parse(device) } : settings.Runtime,
                    Formats = parse.GetValue(common.Format) is null && recipe.Outputs.Formats is { } formats ? Pipeline.Output.OutputFormatsParser.Parse(formats) : settings.Formats,
                    OutputFolder = parse.GetValue(common.Out) ?? recipe.Outputs.Dir ?? settings.OutputFolder,
                };
                recipe.Models.Detector = settings.DetectorModel ?? recipe.Models.Detector;
                recipe.Models.Segmenter = parse.GetValue(segmenter) ?? recipe.Models.Segmenter;
                recipe.Models.Inpainter = parse.GetValue(inpaintModel) ?? recipe.Models.Inpainter;
                if (parse.GetValue(inpaintModel) is { } model)
                {
                    foreach (var step in recipe.Steps.Where(s => s.Inpaint is not null))
                    {
                        step.Inpaint!.Model = model;
                    }
                }

                return await RecipeRun.RunAsync(recipe, parse.GetValue(input), settings, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CliErrors.Report(ex, error, verbose);
            }
        });
        return command;
    }
}
