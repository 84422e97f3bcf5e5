using Grounded.Imaging;

namespace Grounded.Detector;

/// <summary>
/// Finds the boxes a text prompt names. Asynchronous so stages overlap (the SAM encoder runs while the detector
/// does) and remote or GPU detectors fit; implementations over a synchronous runtime run on the thread pool.
/// </summary>
public interface IDetector : IDisposable
{
    /// <summary>Detects in one image.</summary>
    Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Detects in several images with one prompt, batched where the model allows.</summary>
    Task<IReadOnlyList<DetectionResult>> DetectBatchAsync(IReadOnlyList<RgbImage> images, DetectionRequest request, CancellationToken cancellationToken = default);
}
