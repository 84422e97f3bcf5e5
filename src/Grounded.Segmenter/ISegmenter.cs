using Grounded.Imaging;

namespace Grounded.Segmenter;

/// <summary>Turns boxes and clicks into masks.</summary>
public interface ISegmenter : IDisposable
{
    /// <summary>Computes (or takes from the cache) the image embedding; reuse it for every prompt of the image.</summary>
    Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default);

    /// <summary>Decodes prompts against an embedding.</summary>
    Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default);
}
