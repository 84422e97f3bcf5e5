using Grounded.Imaging;

namespace Grounded.Segmenter.Layouts;

/// <summary>One SAM ONNX layout: how to encode an image and decode prompts against it.</summary>
internal interface ISamBackend : IDisposable
{
    SamModelLayout Layout { get; }

    /// <summary>Time spent inside ONNX Runtime by the encoder and decoder together.</summary>
    TimeSpan OnnxRunTime { get; }

    ImageEmbedding Encode(RgbImage image, string key, CancellationToken cancellationToken);

    IReadOnlyList<SegmentedObject> Decode(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts, bool multimask, float threshold, CancellationToken cancellationToken);

    /// <summary>
    /// Decodes each point alone as one positive click (with the reference's padding), reporting every multimask
    /// candidate's logits at the embedding's original size. The sink may be called concurrently, never after the task ends.
    /// </summary>
    Task DecodeSinglePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, PointMaskSink sink, CancellationToken cancellationToken);
}
