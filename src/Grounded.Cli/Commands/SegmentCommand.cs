using System.CommandLine;
using Grounded.Geometry;
using Grounded.Recipes;
using Grounded.Segmenter;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded segment INPUT [PROMPT]</c>: text → boxes → masks, or clicks/boxes → masks.</summary>
internal static class SegmentCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var input = new Argument<string>("input") { Description = "An image, a folder of images, or a glob such as 'photos/**/*.jpg'." };
        var prompt = new Argument<string?>("prompt") { Description = "What to find: \"the bear\" or \"dog . cat . remote control\". Leave out with --points/--box.", Arity = ArgumentArity.ZeroOrOne };
        var multimask = new Option<bool>("--multimask") { Description = "Keep SAM's three candidate masks per object (the best is still chosen)." };
        var segmenterOption = new Option<string?>("--segmenter") { Description = "SAM: a model folder (either ONNX layout), or a set name from 'grounded models list'." };
        var points = new Option<string[]>("--points") { Description = "A click X,Y[:LABEL] in pixels, LABEL 1 (object, default) or 0 (not the object). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var boxes = new Option<string[]>("--box") { Description = "A box X0,Y0,X1,Y1 in pixels. Repeatable: several boxes without points give one object each." };
        var command = new Command("segment", "Find what the prompt names and cut it out: masks, overlay, cut-outs and JSON.")
        {
            input, prompt, multimask, segmenterOption, points, boxes,
        };
        common.AddTo(command);
        CliAction.Set(command, error, common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = CliSettings.From(parse, common, error, parse.GetValue(segmenterOption), parse.GetValue(multimask));
            var samPrompts = BuildPrompts(parse.GetValue(points) ?? [], parse.GetValue(boxes) ?? []);
            string? text = parse.GetValue(prompt);
            if (samPrompts is null && string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidRequestException("The prompt is empty: say what to find (e.g. \"the bear\"), or give --points / --box.");
            }

            if (samPrompts is not null && text is not null)
            {
                throw new InvalidRequestException("Give either a text prompt or --points/--box, not both.");
            }

            if (samPrompts is not null && File.Exists(parse.GetValue(input)))
            {
                // Clicks and boxes are checked against the image before any model loads: its header gives the size
                // (as shown, EXIF rotation applied); the pixels are decoded once, by the run.
                string path = parse.GetValue(input)!;
                Imaging.ImageLoader.CheckFile(path);
                using var stream = File.OpenRead(path);
                var (_, width, height, orientation) = Imaging.ImageLoader.Identify(stream, path);
                bool turned = orientation >= 5;
                PromptGeometry.Fit(samPrompts, turned ? height : width, turned ? width : height);
            }

            var s = cli.Settings;
            RecipeStep[] steps = samPrompts is null
                ? [new DetectRecipeStep(text!, s.Detect), new SegmentRecipeStep(s.Segment)]
                : [new SegmentRecipeStep(s.Segment, samPrompts)];
            return await RecipeRun.RunAsync(command.Name, new Recipe { Settings = s, Steps = steps }, parse.GetValue(input), cli, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Points and at most one box form one prompt; boxes without points give one prompt each.</summary>
    internal static IReadOnlyList<SamPrompt>? BuildPrompts(string[] points, string[] boxes)
    {
        var parsedBoxes = boxes.Select(BoxXyxy.Parse).ToList();
        return SamPrompt.Combine([.. points.Select(PromptPoint.Parse)], parsedBoxes, "--points", "--box");
    }
}
