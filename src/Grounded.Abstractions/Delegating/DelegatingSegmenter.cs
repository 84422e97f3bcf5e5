using Grounded.Imaging;

namespace Grounded.Segmenter;

/// <summary>
/// A segmenter that forwards every call to an inner one: derive from it to add timing, logging, tracing or caching
/// around any segmenter. Disposing it disposes the inner segmenter.
/// </summary>
public class DelegatingSegmenter : ISegmenter
{
    /// <summary>Wraps <paramref name="innerSegmenter"/>.</summary>
    protected DelegatingSegmenter(ISegmenter innerSegmenter)
    {
        ArgumentNullException.ThrowIfNull(innerSegmenter);
        InnerSegmenter = innerSegmenter;
    }

    /// <summary>The segmenter calls are forwarded to.</summary>
    protected ISegmenter InnerSegmenter { get; }

    /// <inheritdoc />
    public virtual Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default) =>
        InnerSegmenter.EncodeAsync(image, cancellationToken);

    /// <inheritdoc />
    public virtual Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default) =>
        InnerSegmenter.SegmentAsync(embedding, request, cancellationToken);

    /// <inheritdoc />
    public virtual Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default) =>
        InnerSegmenter.DecodePointsAsync(embedding, points, minimumPredictedIou, sink, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner segmenter.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerSegmenter.Dispose();
        }
    }
}
