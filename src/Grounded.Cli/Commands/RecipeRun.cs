using System.Globalization;
using Grounded.Batch;
using Grounded.Batch.Inputs;
using Grounded.Inpaint;
using Grounded.Outputs;
using Grounded.Recipes;
using Grounded.Results;
using Grounded.Settings;

namespace Grounded.Cli.Commands;

/// <summary>What every pipeline command shares: fetch the models, build the recipe's pipeline, stream the inputs, report.</summary>
internal static class RecipeRun
{
    public static async Task<int> RunAsync(string command, Recipe recipe, string? input, CliSettings cli, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string source = input ?? recipe.Input ?? throw new InvalidRequestException("Give an input image, folder or glob (or an 'input:' in the recipe).");
        var images = InputExpander.Inputs(source, cli.Recursive);
        bool single = images.Count == 1 && (ImageKey.IsUrl(source) || (File.Exists(source) && !Manifest.IsManifest(source)));
        if (images.Count == 0)
        {
            throw new Imaging.ImageLoadException($"No images in '{source}'.");
        }

        OutputFolderCheck.Check(recipe.Settings.Output.Directory);

        // Several images in flight share the cores: one ONNX Runtime thread pool per model as wide as the machine
        // would make them take turns (measured: 1.2x more images/s with the cores divided, bench profile-shards).
        var runtime = recipe.Settings.Runtime;
        int parallelism = recipe.Settings.Output.Parallelism;
        if (!single && runtime.IntraOpThreads == 0 && parallelism > 1)
        {
            recipe = recipe with { Settings = recipe.Settings with { Runtime = runtime with { IntraOpThreads = Math.Max(1, Environment.ProcessorCount / parallelism) } } };
        }

        var resolver = ModelResolver.Create(cli.AllowDownload, cli.ModelsDir, error);
        var needs = Needs(recipe).ToList();
        await resolver.EnsureAllAsync(needs, cancellationToken).ConfigureAwait(false);
        var identity = await IdentityAsync(command, recipe, needs, resolver, cancellationToken).ConfigureAwait(false);
        var bar = ConsoleProgress.For(error);
        var denoising = new Progress<(int Step, int Total)>(p => bar.Report("denoise", (double)p.Step / p.Total, $"step {p.Step}/{p.Total}"));
        using var built = await RecipeBuilder.BuildAsync(recipe, resolver.ResolveAsync, denoising, cancellationToken: cancellationToken).ConfigureAwait(false);
        var runner = new BatchRunner(built.Pipeline, new BatchOptions
        {
            Output = recipe.Settings.Output,
            IncludeCandidates = built.Multimask,
            Resume = cli.Resume,
            Identity = identity,
            Shard = cli.Shard,
            Classes = recipe.PromptClasses(),
        });
        var progress = !single ? new Progress<BatchProgress>(p => bar.Report("images", (double)p.Done / p.Total, Path.GetFileName(p.Current))) : null;
        var summary = await runner.RunAsync(images, result =>
        {
            bar.Clear();
            Report(result, cli, built.Multimask, output, error);
        }, progress, cancellationToken).ConfigureAwait(false);
        bar.Clear();
        foreach (var (path, message) in summary.Failures)
        {
            // A message that already names the image (the loader's do) is not prefixed with it again.
            string line = message.Split('\n')[0];
            error.WriteLine(line.Contains(path, StringComparison.Ordinal) ? $"error: {line}" : $"error: {path}: {line}");
        }

        string? outFolder = recipe.Settings.Output.Directory;
        string ownCoco = ShardSpec.FileName(cli.Shard, "coco", ".json");
        if (summary.Dataset is { } coco && Path.GetFileName(coco) != ownCoco)
        {
            error.WriteLine($"note: {Path.Combine(outFolder ?? ".", ownCoco)} belongs to another run; this run's dataset is {coco}.");
        }

        // Said even for one image: a reused result must not pass for a fresh one.
        if ((!single || summary.Resumed > 0 || cli.Shard is not null) && !cli.Json)
        {
            string shard = cli.Shard is { } sh ? FormattableString.Invariant($"shard {sh.Index} of {sh.Count} ({summary.Total} of {images.Count} images): ") : string.Empty;
            error.WriteLine(FormattableString.Invariant($"{shard}{summary.Processed} processed, {summary.Resumed} already done, {summary.Failures.Count} failed{(outFolder is null ? string.Empty : $"; outputs in {outFolder}")}{(summary.Resumed > 0 ? " (--overwrite redoes the ones already done)" : string.Empty)}"));
        }

        // A folder run with failures still did the rest; the exit code says some input was bad.
        return summary.Failures.Count > 0 ? ExitCodes.Input : ExitCodes.Success;
    }

    /// <summary>What makes this run's outputs what they are: the command, every step's settings, the models (by content fingerprint) and the formats.</summary>
    private static async Task<RunIdentity> IdentityAsync(string command, Recipe recipe, IReadOnlyList<(string? Value, string Kind)> needs, ModelResolver resolver, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["command"] = command,
            ["formats"] = SettingNames.NameOf(recipe.Settings.Output.Formats),
        };
        for (int i = 0; i < recipe.Steps.Count; i++)
        {
            settings[FormattableString.Invariant($"step{i + 1}")] = recipe.Steps[i] switch
            {
                DetectRecipeStep d => $"detect prompt={d.Prompt} {SettingNames.Describe(d.Options)}",
                SegmentRecipeStep s => $"segment {SettingNames.Describe(s.Options)}{(s.Prompts is { } p ? " prompts=" + string.Join(";", p.Select(Describe)) : string.Empty)}",
                EverythingRecipeStep e => $"everything {SettingNames.Describe(e.Options)} {SettingNames.Describe(e.Segment)}",
                InpaintRecipeStep n => $"inpaint {SettingNames.Describe(n.Options)} model={n.Model}",
                var other => other.ToString(),
            };
        }

        foreach (var (value, kind) in needs.Distinct())
        {
            var (folder, modelFile) = await resolver.ResolveAsync(value, kind, cancellationToken).ConfigureAwait(false);
            settings[$"models.{kind}.{value ?? "default"}"] = $"{Path.GetFullPath(folder)}{(modelFile is null ? string.Empty : "/" + modelFile)} {RunIdentity.FingerprintModel(folder)}";
        }

        return RunIdentity.Of(settings);
    }

    private static string Describe(Segmenter.SamPrompt p) => string.Create(CultureInfo.InvariantCulture, $"{string.Join(" ", p.Points.Select(q => $"{q.X},{q.Y}:{(q.IsPositive ? 1 : 0)}"))} box={p.Box}");

    /// <summary>Every model set the recipe needs, so an offline first run lists all missing files at once.</summary>
    private static IEnumerable<(string? Value, string Kind)> Needs(Recipe recipe)
    {
        var models = recipe.Settings.Models;
        foreach (string kind in recipe.StageKinds())
        {
            if (kind == "inpainter")
            {
                foreach (var step in recipe.Steps.OfType<InpaintRecipeStep>().Where(s => s.Options.Inpainter is { } k && k != InpainterKind.Classical))
                {
                    yield return (step.Model ?? models.Inpainter ?? InpainterFactory.DefaultSet(step.Options.Inpainter!.Value), kind);
                }
            }
            else
            {
                yield return (kind == "detector" ? models.Detector : models.Segmenter, kind);
            }
        }
    }

    private static void Report(ImageResult result, CliSettings cli, bool multimask, TextWriter output, TextWriter error)
    {
        if (cli.Json)
        {
            output.WriteLine(ResultDocument.ToLine(result, multimask));
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.ImagePath}: {result.Objects.Count} object(s)"));
            for (int i = 0; i < result.Objects.Count; i++)
            {
                var o = result.Objects[i];
                string mask = o.Mask is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  area {o.Mask.Area()}  iou {o.PredictedIou:0.000}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i:00} {o.Label,-20} {o.Score:0.000}  box {o.Box}{mask}"));
            }
        }

        foreach (string warning in result.Warnings)
        {
            error.WriteLine($"warning: {warning}");
        }

        if (cli.Timings)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings {Path.GetFileName(result.ImagePath)}: {string.Join("  ", result.TimingsMs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:0.0} ms"))}"));
        }
    }
}
