using System.Globalization;
using Grounded.Batch;
using Grounded.Inpaint;
using Grounded.Outputs;
using Grounded.Recipes;
using Grounded.Results;

namespace Grounded.Cli.Commands;

/// <summary>What every pipeline command shares: fetch the models, build the recipe's pipeline, stream the inputs, report.</summary>
internal static class RecipeRun
{
    public static async Task<int> RunAsync(Recipe recipe, string? input, CliSettings cli, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string source = input ?? recipe.Input ?? throw new InvalidRequestException("Give an input image, folder or glob (or an 'input:' in the recipe).");
        var images = InputExpander.Expand(source);
        if (images.Count == 0)
        {
            throw new Imaging.ImageLoadException($"No images in '{source}'.");
        }

        var resolver = ModelResolver.Create(cli.AllowDownload, cli.ModelsDir, error);
        await resolver.EnsureAllAsync(Needs(recipe), cancellationToken).ConfigureAwait(false);
        var bar = ConsoleProgress.For(error);
        var denoising = new Progress<(int Step, int Total)>(p => bar.Report("denoise", (double)p.Step / p.Total, $"step {p.Step}/{p.Total}"));
        using var built = await RecipeBuilder.BuildAsync(recipe, resolver.ResolveAsync, denoising, cancellationToken: cancellationToken).ConfigureAwait(false);
        var runner = new BatchRunner(built.Pipeline, new BatchOptions { Output = recipe.Settings.Output, IncludeCandidates = built.Multimask });
        var progress = images.Count > 1 ? new Progress<BatchProgress>(p => bar.Report("images", (double)p.Done / p.Total, Path.GetFileName(p.Current))) : null;
        var summary = await runner.RunAsync(images, result => Report(result, cli, built.Multimask, output, error), progress, cancellationToken).ConfigureAwait(false);
        foreach (var (path, message) in summary.Failures)
        {
            error.WriteLine($"error: {path}: {message.Split('\n')[0]}");
        }

        string? outFolder = recipe.Settings.Output.Directory;
        if (images.Count > 1 && !cli.Json)
        {
            error.WriteLine(FormattableString.Invariant($"{summary.Processed} processed, {summary.Resumed} already done, {summary.Failures.Count} failed{(outFolder is null ? string.Empty : $"; outputs in {outFolder}")}"));
        }

        // A folder run with failures still did the rest; the exit code says some input was bad.
        return summary.Failures.Count > 0 ? ExitCodes.Input : ExitCodes.Success;
    }

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
