using System.Globalization;
using Grounded.Detector;
using Grounded.Pipeline;
using Grounded.Pipeline.Batch;
using Grounded.Pipeline.Output;
using Grounded.Pipeline.Results;
using Grounded.Segmenter;

namespace Grounded.Cli.Commands;

/// <summary>What segment and detect share: resolve models, build the pipeline, stream the inputs, report.</summary>
internal static class PipelineRun
{
    public static async Task<int> RunAsync(RunSettings settings, string input, string? prompt, IReadOnlyList<SamPrompt>? prompts, bool segment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var images = InputExpander.Expand(input);
        if (images.Count == 0)
        {
            throw new Imaging.ImageLoadException($"No images in '{input}'.");
        }

        var resolver = ModelResolver.Create(settings.AllowDownload, settings.ModelsDir, error);
        var needs = new List<(string?, string)>();
        if (prompts is null)
        {
            needs.Add((settings.DetectorModel, "detector"));
        }

        if (segment)
        {
            needs.Add((settings.SegmenterModel, "segmenter"));
        }

        await resolver.EnsureAllAsync(needs, cancellationToken).ConfigureAwait(false);
        GroundingDinoDetector? detector = null;
        SamSegmenter? segmenter = null;
        try
        {
            var builder = GroundedPipeline.Builder();
            if (prompts is null)
            {
                var (folder, modelFile) = await resolver.ResolveAsync(settings.DetectorModel, "detector", cancellationToken).ConfigureAwait(false);
                detector = GroundingDinoDetector.Create(folder, new DetectorOptions
                {
                    Runtime = settings.Runtime,
                    BoxThreshold = settings.BoxThreshold,
                    TextThreshold = settings.TextThreshold,
                    CaptionMode = settings.CaptionMode,
                    Nms = settings.Nms,
                    NmsIoU = settings.NmsIou,
                    ModelFile = modelFile,
                });
                builder.Detect(detector, new DetectionRequest { Prompt = prompt });
            }

            if (segment)
            {
                var (folder, _) = await resolver.ResolveAsync(settings.SegmenterModel, "segmenter", cancellationToken).ConfigureAwait(false);
                segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = settings.Runtime, MaskThreshold = settings.MaskThreshold });
                builder.Segment(segmenter, new SegmentStepOptions { Multimask = settings.Multimask, Prompts = prompts });
            }

            return await RunBatchAsync(builder.Build(), images, settings, output, error, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            detector?.Dispose();
            segmenter?.Dispose();
        }
    }

    /// <summary>Streams images through a built pipeline, reporting each and summarising the run.</summary>
    public static async Task<int> RunBatchAsync(GroundedPipeline pipeline, IReadOnlyList<string> images, RunSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (images.Count == 0)
        {
            throw new Imaging.ImageLoadException("No images to process.");
        }

        var runner = new BatchRunner(pipeline, new BatchOptions
        {
            OutputFolder = settings.OutputFolder,
            Formats = settings.Formats,
            IncludeCandidates = settings.Multimask,
            MaxParallelism = settings.Parallelism,
        });
        var bar = ConsoleProgress.For(error);
        var progress = images.Count > 1 ? new Progress<BatchProgress>(p => bar.Report("images", (double)p.Done / p.Total, Path.GetFileName(p.Current))) : null;
        var summary = await runner.RunAsync(images, result => Report(result, settings, output, error), progress, cancellationToken).ConfigureAwait(false);
        foreach (var (path, message) in summary.Failures)
        {
            error.WriteLine($"error: {path}: {message.Split('\n')[0]}");
        }

        if (images.Count > 1 && !settings.Json)
        {
            error.WriteLine(FormattableString.Invariant($"{summary.Processed} processed, {summary.Resumed} already done, {summary.Failures.Count} failed{(settings.OutputFolder is null ? string.Empty : $"; outputs in {settings.OutputFolder}")}"));
        }

        // A folder run with failures still did the rest; the exit code says some input was bad.
        return summary.Failures.Count > 0 ? ExitCodes.Input : ExitCodes.Success;
    }

    private static void Report(ImageResult result, RunSettings settings, TextWriter output, TextWriter error)
    {
        if (settings.Json)
        {
            output.WriteLine(ResultDocument.ToLine(result, settings.Multimask));
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

        if (settings.Timings)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings {Path.GetFileName(result.ImagePath)}: {string.Join("  ", result.TimingsMs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:0.0} ms"))}"));
        }
    }
}
