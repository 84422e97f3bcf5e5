using Grounded.Detector;
using Grounded.Imaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grounded.Pipeline.Observability;

/// <summary>Times, traces and logs every call of a detector ("detect").</summary>
public sealed class InstrumentedDetector(IDetector inner, ILogger? logger = null) : DelegatingDetector(inner)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public override Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default) =>
        StageInstrumentation.RunAsync("detect", _logger, () => base.DetectAsync(image, request, cancellationToken));

    /// <inheritdoc />
    public override Task<IReadOnlyList<DetectionResult>> DetectBatchAsync(IReadOnlyList<RgbImage> images, DetectionRequest request, CancellationToken cancellationToken = default) =>
        StageInstrumentation.RunAsync("detect", _logger, () => base.DetectBatchAsync(images, request, cancellationToken));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // The wrapped detector stays its owner's.
    }
}
