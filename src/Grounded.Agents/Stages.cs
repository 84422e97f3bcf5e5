using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Segmenter;

namespace Grounded.Agents;

/// <summary>
/// Keeps the highest-scoring detections up to a limit, so masks are made only for what is returned; tells
/// <paramref name="found"/> how many there were before the cut.
/// </summary>
internal sealed class TopObjectsDetector(IDetector inner, int limit, Action<int> found) : DelegatingDetector(inner)
{
    public override async Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        var result = await base.DetectAsync(image, request, cancellationToken).ConfigureAwait(false);
        found(result.Detections.Count);
        return result.Detections.Count <= limit ? result : result with { Detections = [.. result.Detections.OrderByDescending(d => d.Score).Take(limit)] };
    }

    protected override void Dispose(bool disposing)
    {
        // The shared models outlive a call's wrappers.
    }
}

/// <summary>Reports when detection starts.</summary>
internal sealed class ReportingDetector(IDetector inner, IProgress<Tools.AgentProgress>? progress) : DelegatingDetector(inner)
{
    public override Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        progress?.Report(new Tools.AgentProgress("finding the objects", 0.1));
        return base.DetectAsync(image, request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The shared models outlive a call's wrappers.
    }
}

/// <summary>Reports when encoding and mask decoding start.</summary>
internal sealed class ReportingSegmenter(ISegmenter inner, IProgress<Tools.AgentProgress>? progress) : DelegatingSegmenter(inner)
{
    public override Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default)
    {
        progress?.Report(new Tools.AgentProgress("encoding the image", 0.3));
        return base.EncodeAsync(image, cancellationToken);
    }

    public override Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default)
    {
        progress?.Report(new Tools.AgentProgress("making the masks", 0.5));
        return base.SegmentAsync(embedding, request, cancellationToken);
    }

    public override Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default)
    {
        progress?.Report(new Tools.AgentProgress($"making masks for {points.Count} grid points", 0.5));
        return base.DecodePointsAsync(embedding, points, minimumPredictedIou, sink, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The shared models outlive a call's wrappers.
    }
}
