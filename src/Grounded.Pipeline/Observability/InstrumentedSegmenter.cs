using Grounded.Imaging;
using Grounded.Segmenter;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grounded.Pipeline.Observability;

/// <summary>Times, traces and logs every call of a segmenter ("encode", "decode").</summary>
public sealed class InstrumentedSegmenter(ISegmenter inner, ILogger? logger = null) : DelegatingSegmenter(inner)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public override Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default) =>
        StageInstrumentation.RunAsync("encode", _logger, () => base.EncodeAsync(image, cancellationToken));

    /// <inheritdoc />
    public override Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default) =>
        StageInstrumentation.RunAsync("decode", _logger, () => base.SegmentAsync(embedding, request, cancellationToken));

    /// <inheritdoc />
    public override Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default) =>
        StageInstrumentation.RunAsync("decode", _logger, () => base.DecodePointsAsync(embedding, points, minimumPredictedIou, sink, cancellationToken));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // The wrapped segmenter stays its owner's.
    }
}
