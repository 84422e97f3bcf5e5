using System.CommandLine;
using Grounded.Inpaint;
using Grounded.Masks;
using Grounded.Recipes;
using Grounded.Settings;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded remove</c> and <c>grounded replace</c>: detect → segment → mask ops → inpaint.</summary>
internal static class EditCommands
{
    public static Command Remove(TextWriter output, TextWriter error)
    {
        var parts = new EditOptions();
        var command = new Command("remove", "Remove what the prompt names and fill the hole: writes inpainted.png beside results.json.");
        parts.AddTo(command, inpainterDefault: "lama when installed, else classical");
        CliAction.Set(command, error, parts.Common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = parts.Settings(parse, error);
            var resolver = ModelResolver.Create(cli.AllowDownload, cli.ModelsDir, error);
            var inpaint = parts.Inpaint(parse, cli.Settings.Inpaint);
            if (inpaint.Inpainter is null)
            {
                inpaint = inpaint with { Inpainter = parse.GetValue(parts.InpaintModel) is not null || resolver.IsInstalled("lama") ? InpainterKind.Lama : InpainterKind.Classical };
            }

            return await RecipeRun.RunAsync(command.Name, parts.Recipe(parse, cli, inpaint), parse.GetValue(parts.Input), cli, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Replace(TextWriter output, TextWriter error)
    {
        var parts = new EditOptions();
        var with = new Option<string>("--with") { Description = "What to paint instead, e.g. \"a red leather sofa\".", Required = true };
        var negative = new Option<string?>("--negative") { Description = "What must not appear." };
        var steps = new Option<int?>("--steps") { Description = "Denoising steps (default 30)." };
        var guidance = new Option<float?>("--guidance") { Description = "Classifier-free guidance scale (default 7.5)." };
        var strength = new Option<float?>("--strength") { Description = "How much of the region to repaint, 0..1 (default 1)." };
        var seed = new Option<long?>("--seed") { Description = "Random seed; the same seed gives the same image (default 42)." };
        var scheduler = new Option<string?>("--scheduler") { Description = "ddim or euler-ancestral (default: the model's scheduler config)." };
        var command = new Command("replace", "Replace what the prompt names with something else (Stable Diffusion inpainting).")
        {
            with, negative, steps, guidance, strength, seed, scheduler,
        };
        parts.AddTo(command, inpainterDefault: "sd");
        CliAction.Set(command, error, parts.Common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = parts.Settings(parse, error);
            var o = parts.Inpaint(parse, cli.Settings.Inpaint);
            o = o with
            {
                Inpainter = o.Inpainter ?? InpainterKind.StableDiffusion,
                Prompt = parse.GetValue(with) ?? string.Empty,
                NegativePrompt = parse.GetValue(negative) ?? o.NegativePrompt,
                Steps = parse.GetValue(steps) ?? o.Steps,
                GuidanceScale = parse.GetValue(guidance) ?? o.GuidanceScale,
                Strength = parse.GetValue(strength) ?? o.Strength,
                Seed = parse.GetValue(seed) ?? o.Seed,
                Scheduler = parse.GetValue(scheduler) is { } name ? SettingNames.Parse<SchedulerKind>(name, "scheduler") : o.Scheduler,
            };
            return await RecipeRun.RunAsync(command.Name, parts.Recipe(parse, cli, o), parse.GetValue(parts.Input), cli, output, error, cancellationToken).ConfigureAwait(false);
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

        public Option<int?> Dilate { get; } = new("--dilate") { Description = "Grow the masks first with a KxK square kernel, as cv2.dilate (default 15; 0 keeps them)." };

        public Option<int?> Feather { get; } = new("--feather") { Description = "Blend over this many pixels outside the mask (default 4). With --dilate 0 --feather 0 no pixel outside the masks changes." };

        public Option<string?> Combine { get; } = new("--combine") { Description = "first, merge (default: one edit of all objects) or each (one edit per object)." };

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

        public CliSettings Settings(ParseResult parse, TextWriter error)
        {
            var cli = CliSettings.From(parse, Common, error, parse.GetValue(Segmenter));
            return cli with { Settings = cli.Settings with { Models = cli.Settings.Models with { Inpainter = parse.GetValue(InpaintModel) ?? cli.Settings.Models.Inpainter } } };
        }

        /// <summary>The mask flags and the inpainter, over the settings file's inpaint section.</summary>
        public InpaintOptions Inpaint(ParseResult parse, InpaintOptions start) => start with
        {
            Inpainter = parse.GetValue(Inpainter) is { } kind ? SettingNames.Parse<InpainterKind>(kind, "inpainter") : start.Inpainter,
            Dilate = parse.GetValue(Dilate) ?? start.Dilate,
            Feather = parse.GetValue(Feather) ?? start.Feather,
            Combine = CliSettings.Named<MaskCombineMode>(parse.GetValue(Combine), "combine", start.Combine),
        };

        public Recipe Recipe(ParseResult parse, CliSettings cli, InpaintOptions inpaint)
        {
            string prompt = parse.GetValue(Prompt) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(prompt))
            {
                throw new InvalidRequestException("The prompt is empty: say what to edit, e.g. \"the bench\".");
            }

            var s = cli.Settings;
            return new Recipe
            {
                Settings = s,
                Steps = [new DetectRecipeStep(prompt, s.Detect), new SegmentRecipeStep(s.Segment with { Multimask = false }), new InpaintRecipeStep(inpaint)],
            };
        }
    }
}
