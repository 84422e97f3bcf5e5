using Grounded.Imaging;

namespace Grounded.Segmenter;

/// <summary>
/// Turns boxes and clicks into masks. Asynchronous so the encoder overlaps the detector and decoder calls overlap
/// post-processing; implementations over a synchronous runtime run on the thread pool.
/// </summary>
public interface ISegmenter : IDisposable
{
    /// <summary>Computes (or takes from the cache) the image embedding; reuse it for every prompt of the image.</summary>
    Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default);

    /// <summary>Decodes prompts against an embedding.</summary>
    Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decodes each point alone as one positive click (with the reference's padding point), reporting every multimask
    /// candidate's logits at the embedding's original size: what segment-everything needs from a segmenter. The sink
    /// may be called concurrently, and only until the returned task completes. Candidates whose predicted IoU is not
    /// above <paramref name="minimumPredictedIou"/> are not reported (nor upscaled); null reports every candidate.
    /// </summary>
    Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default);
}

/// <summary>Receives one candidate mask of one point: its predicted IoU and logits [height × width], row-major.</summary>
/// <param name="point">The point's index in the request.</param>
/// <param name="candidate">The candidate's index (0..2 for the multimask head).</param>
/// <param name="predictedIou">The decoder's IoU prediction.</param>
/// <param name="logits">The mask logits, valid only during the call.</param>
public delegate void PointMaskSink(int point, int candidate, float predictedIou, ReadOnlySpan<float> logits);
