using Grounded.Segmenter.Processing;

namespace Grounded.Segmenter.Layouts;

/// <summary>One multimask candidate of a grid point: its low-resolution logits, before they are upscaled to the image.</summary>
internal readonly record struct PointCandidate(int Point, int Candidate, float Iou, ReadOnlyMemory<float> Logits);

/// <summary>How both layouts hand segment-everything's candidates to <see cref="PointMaskSink"/>.</summary>
internal static class PointCandidates
{
    /// <summary>The rule of <see cref="ISegmenter.DecodePointsAsync"/>: no minimum reports all, else only IoUs above it.</summary>
    public static bool Reported(float iou, float? minimumPredictedIou) => minimumPredictedIou is not { } minimum || iou > minimum;

    /// <summary>Upscales each candidate to the embedding's original size (in parallel, a buffer a thread) and reports it.</summary>
    public static void Report(IReadOnlyList<PointCandidate> kept, ImageEmbedding embedding, MaskResampler resampler, PointMaskSink sink, CancellationToken cancellationToken)
    {
        if (kept.Count == 0)
        {
            return;
        }

        int size = embedding.OriginalWidth * embedding.OriginalHeight;
        using var buffers = new ThreadLocal<float[]>(() => new float[size]);
        Parallel.ForEach(kept, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            var full = buffers.Value!;
            resampler.Resample(k.Logits.Span, full);
            sink(k.Point, k.Candidate, k.Iou, full);
        });
    }
}
