using Grounded.Imaging;

namespace Grounded.Detector;

/// <summary>
/// A detector that forwards every call to an inner one: derive from it to add timing, logging, tracing or caching
/// around any detector (the Microsoft.Extensions.AI pattern). Disposing it disposes the inner detector.
/// </summary>
public class DelegatingDetector : IDetector
{
    /// <summary>Wraps <paramref name="innerDetector"/>.</summary>
    protected DelegatingDetector(IDetector innerDetector)
    {
        ArgumentNullException.ThrowIfNull(innerDetector);
        InnerDetector = innerDetector;
    }

    /// <summary>The detector calls are forwarded to.</summary>
    protected IDetector InnerDetector { get; }

    /// <inheritdoc />
    public virtual Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default) =>
        InnerDetector.DetectAsync(image, request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<DetectionResult>> DetectBatchAsync(IReadOnlyList<RgbImage> images, DetectionRequest request, CancellationToken cancellationToken = default) =>
        InnerDetector.DetectBatchAsync(images, request, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner detector.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerDetector.Dispose();
        }
    }
}
