using System.CommandLine;
using Grounded.Pipeline.Output;

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
        command.SetAction(async (parse, cancellationToken) =>
        {
            bool verbose = parse.GetValue(common.Verbose);
            try
            {
                var settings = RunSettings.From(parse, common, multimaskFlag: false, segmenterFlag: null, error);
                settings = settings with { Formats = settings.Formats & (OutputFormats.Overlay | OutputFormats.Json | OutputFormats.Gsa) };
                string text = parse.GetValue(prompt) ?? string.Empty;
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw new InvalidRequestException("The prompt is empty: say what to find, e.g. \"the bear\".");
                }

                return await PipelineRun.RunAsync(settings, parse.GetValue(input)!, text, null, segment: false, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CliErrors.Report(ex, error, verbose);
            }
        });
        return command;
    }
}
