using Grounded.Segmenter.Processing;

namespace Grounded.Segmenter.Layouts;

/// <summary>One multimask candidate of a grid point: its low-resolution logits, before they are upscaled to the image.</summary>
internal readonly record struct PointCandidate(int Point, int Candidate, float Iou, ReadOnlyMemory<float> Logits);

/// <summary>How both layouts hand segment-everything's candidates to <see cref="PointMaskSink"/>.</summary>
internal static class PointCandidates
{
    /// <summary>The rule of <see cref="ISegmenter.DecodePointsAsync"/>: no minimum reports all, else only IoUs above it.</summary>
    public static bool Reported(float iou, float? minimumPredictedIou) => minimumPredictedIou is not { } minimum || iou > minimum;

    /// <summary>The first multimask token of a decoder's answer: a four-token decoder's token 0 is its single-mask answer.</summary>
    public static int FirstCandidateToken(int tokens) => tokens == 4 ? 1 : 0;

    /// <summary>Whether any multimask candidate of one prompt (its IoUs, a token each) is reported.</summary>
    public static bool AnyReported(ReadOnlySpan<float> scores, float? minimumPredictedIou)
    {
        for (int token = FirstCandidateToken(scores.Length); token < scores.Length; token++)
        {
            if (Reported(scores[token], minimumPredictedIou))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds the reported multimask candidates of grid point <paramref name="point"/>: its IoUs (a token each) and its
    /// tokens' low-resolution logits (one grid after another), the logits copied out.
    /// </summary>
    public static void AddReported(List<PointCandidate> kept, int point, ReadOnlySpan<float> scores, ReadOnlySpan<float> logits, float? minimumPredictedIou)
    {
        int first = FirstCandidateToken(scores.Length), grid = logits.Length / scores.Length;
        for (int token = first; token < scores.Length; token++)
        {
            if (Reported(scores[token], minimumPredictedIou))
            {
                kept.Add(new PointCandidate(point, token - first, scores[token], logits.Slice(token * grid, grid).ToArray()));
            }
        }
    }

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
