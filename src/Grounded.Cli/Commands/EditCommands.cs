using System.CommandLine;
using Grounded.Pipeline.Recipes;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded remove</c> and <c>grounded replace</c>: detect → segment → mask ops → inpaint.</summary>
internal static class EditCommands
{
    public static Command Remove(TextWriter output, TextWriter error)
    {
        var parts = new EditOptions();
        var command = new Command("remove", "Remove what the prompt names and fill the hole: writes inpainted.png beside results.json.");
        parts.AddTo(command, inpainterDefault: "lama when installed, else classical");
        command.SetAction(async (parse, cancellationToken) =>
        {
            bool verbose = parse.GetValue(parts.Common.Verbose);
            try
            {
                var settings = parts.Settings(parse, error);
                var resolver = ModelResolver.Create(settings.AllowDownload, settings.ModelsDir, error);
                string inpainter = parse.GetValue(parts.Inpainter) ?? (parse.GetValue(parts.InpaintModel) is not null || resolver.IsInstalled("lama") ? "lama" : "classical");
                var recipe = parts.Recipe(parse, settings, inpainter, new InpaintSettings());
                return await RecipeRun.RunAsync(recipe, parse.GetValue(parts.Input), settings, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CliErrors.Report(ex, error, verbose);
            }
        });
        return command;
    }

    public static Command Replace(TextWriter output, TextWriter error)
    {
        var parts = new EditOptions();
        var with = new Option<string>("--with") { Description = "What to paint instead, e.g. \"a red leather sofa\".", Required = true };
        var negative = new Option<string?>("--negative") { Description = "What must not appear." };
        var steps = new Option<int>("--steps") { Description = "Denoising steps (default 30).", DefaultValueFactory = _ => 30 };
        var guidance = new Option<float>("--guidance") { Description = "Classifier-free guidance scale (default 7.5).", DefaultValueFactory = _ => 7.5f };
        var strength = new Option<float>("--strength") { Description = "How much of the region to repaint, 0..1 (default 1).", DefaultValueFactory = _ => 1f };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed gives the same image (default 42).", DefaultValueFactory = _ => 42 };
        var scheduler = new Option<string?>("--scheduler") { Description = "ddim or euler-ancestral (default: the model's scheduler config)." };
        var command = new Command("replace", "Replace what the prompt names with something else (Stable Diffusion inpainting).")
        {
            with, negative, steps, guidance, strength, seed, scheduler,
        };
        parts.AddTo(command, inpainterDefault: "sd");
        command.SetAction(async (parse, cancellationToken) =>
        {
            bool verbose = parse.GetValue(parts.Common.Verbose);
            try
            {
                var settings = parts.Settings(parse, error);
                int stepCount = parse.GetValue(steps);
                float strengthValue = parse.GetValue(strength);
                if (stepCount < 1 || strengthValue is < 0f or > 1f)
                {
                    throw new InvalidRequestException("--steps must be at least 1 and --strength between 0 and 1.");
                }

                var inpaint = new InpaintSettings
                {
                    Prompt = parse.GetValue(with),
                    NegativePrompt = parse.GetValue(negative),
                    Steps = stepCount,
                    Guidance = parse.GetValue(guidance),
                    Strength = strengthValue,
                    Seed = parse.GetValue(seed),
                    Scheduler = parse.GetValue(scheduler),
                };
                var recipe = parts.Recipe(parse, settings, parse.GetValue(parts.Inpainter) ?? "sd", inpaint);
                return await RecipeRun.RunAsync(recipe, parse.GetValue(parts.Input), settings, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CliErrors.Report(ex, error, verbose);
            }
        });
        return command;
    }

    /// <summary>The arguments and options remove and replace share.</summary>
    private sealed class EditOptions
    {
        public CommonOptions Common { get; } = new();

        public Argument<string> Input { get; } = new("input") { Description = "An image, a folder of images, or a glob." };

        public Argument<string> Prompt { get; } = new("prompt") { Description = "What to remove or replace, e.g. \"the bench\"." };

        public Option<string?> Segmenter { get; } = new("--segmenter") { Description = "SAM: a model folder or a set name." };

        public Option<string?> Inpainter { get; } = new("--inpainter") { Description = "classical, lama or sd." };

        public Option<string?> InpaintModel { get; } = new("--inpaint-model") { Description = "The LaMa or Stable Diffusion model: a set name, a folder or a .onnx file." };

        public Option<int> Dilate { get; } = new("--dilate") { Description = "Grow the masks by this many pixels first (default 8).", DefaultValueFactory = _ => 8 };

        public Option<int> Feather { get; } = new("--feather") { Description = "Blend over this many pixels outside the mask (default 4). With --dilate 0 --feather 0 no pixel outside the masks changes.", DefaultValueFactory = _ => 4 };

        public Option<string> Combine { get; } = new("--combine") { Description = "first, merge (default: one edit of all objects) or each (one edit per object).", DefaultValueFactory = _ => "merge" };

        public void AddTo(Command command, string inpainterDefault)
        {
            Inpainter.Description = $"classical, lama or sd (default {inpainterDefault}).";
            command.Add(Input);
            command.Add(Prompt);
            foreach (var option in new Option[] { Segmenter, Inpainter, InpaintModel, Dilate, Feather, Combine })
            {
                command.Add(option);
            }

            Common.AddTo(command);
        }

        public RunSettings Settings(ParseResult parse, TextWriter error)
        {
            if (parse.GetValue(Dilate) < 0 || parse.GetValue(Feather) < 0)
            {
                throw new InvalidRequestException("--dilate and --feather must be 0 or more.");
            }

            return RunSettings.From(parse, Common, multimaskFlag: false, parse.GetValue(Segmenter), error);
        }

        public Recipe Recipe(ParseResult parse, RunSettings settings, string inpainter, InpaintSettings inpaint)
        {
            string prompt = parse.GetValue(Prompt) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(prompt))
            {
                throw new InvalidRequestException("The prompt is empty: say what to edit, e.g. \"the bench\".");
            }

            inpaint.Inpainter = inpainter;
            inpaint.Model = parse.GetValue(InpaintModel);
            return new Recipe
            {
                Models = new RecipeModels { Detector = settings.DetectorModel, Segmenter = settings.SegmenterModel },
                Steps =
                [
                    new RecipeStep
                    {
                        Detect = new DetectSettings
                        {
                            Prompt = prompt,
                            BoxThreshold = settings.BoxThreshold,
                            TextThreshold = settings.TextThreshold,
                            CaptionMode = settings.CaptionMode.ToString(),
                            Nms = settings.Nms switch { Detector.NmsMode.PerClass => "class", Detector.NmsMode.ClassAgnostic => "agnostic", _ => "none" },
                            NmsIou = settings.NmsIou,
                        },
                    },
                    new RecipeStep { Segment = new SegmentSettings() },
                    new RecipeStep { Mask = new MaskSettings { Dilate = parse.GetValue(Dilate), Feather = parse.GetValue(Feather), Combine = parse.GetValue(Combine) } },
                    new RecipeStep { Inpaint = inpaint },
                ],
            };
        }
    }
}
