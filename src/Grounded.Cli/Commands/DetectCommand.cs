using System.CommandLine;
using Grounded.Outputs;
using Grounded.Recipes;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded detect INPUT PROMPT</c>: boxes, scores and labels only.</summary>
internal static class DetectCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var input = new Argument<string>("input") { Description = "An image, a folder of images, or a glob." };
        var prompt = new Argument<string>("prompt") { Description = "What to find: \"the bear\" or \"dog . cat . remote control\"." };
        var command = new Command("detect", "Find the boxes a text prompt names (Grounding DINO only, no masks).") { input, prompt };
        common.AddTo(command);
        CliAction.Set(command, error, common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = CliSettings.From(parse, common, error);
            var s = cli.Settings;
            s = s with { Output = s.Output with { Formats = s.Output.Formats & (OutputFormats.Overlay | OutputFormats.Json) } };
            string text = parse.GetValue(prompt) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidRequestException("The prompt is empty: say what to find, e.g. \"the bear\".");
            }

            var recipe = new Recipe { Settings = s, Steps = [new DetectRecipeStep(text, s.Detect)] };
            return await RecipeRun.RunAsync(command.Name, recipe, parse.GetValue(input), cli, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
