using Grounded.Segmenter;

namespace Grounded.Studio.Stages;

/// <summary>Reports segment-everything's progress as the share of grid points decoded so far.</summary>
internal sealed class ProgressSegmenter(ISegmenter segmenter, int totalPoints, Action<double> report) : DelegatingSegmenter(segmenter)
{
    private int _done;

    public override async Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        await base.DecodePointsAsync(embedding, points, minimumPredictedIou, sink, cancellationToken).ConfigureAwait(false);
        int done = Interlocked.Add(ref _done, points.Count);
        report(Math.Min(0.99, (double)done / Math.Max(1, totalPoints)));
    }

    protected override void Dispose(bool disposing)
    {
    }
}
