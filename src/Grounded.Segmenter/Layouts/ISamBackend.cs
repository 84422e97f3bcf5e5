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
    /// Decodes one prompt to the decoder's low-resolution logits only (no upscaling to the image), cropped to the
    /// part of the 256×256 grid that covers the image: what an interactive preview draws, scaled, under the pointer.
    /// </summary>
    SegmentedObject DecodeLowResolution(ImageEmbedding embedding, SamPrompt prompt, bool multimask, float threshold, CancellationToken cancellationToken);

    /// <summary>
    /// Decodes each point alone as one positive click (with the reference's padding), reporting every multimask
    /// candidate's logits at the embedding's original size. The sink may be called concurrently, never after the task ends.
    /// </summary>
    Task DecodeSinglePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken);
}
