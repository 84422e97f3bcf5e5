using Grounded.Imaging;

namespace Grounded.Segmenter.Layouts;

/// <summary>One SAM ONNX layout: how to encode an image and decode prompts against it.</summary>
internal interface ISamBackend : IDisposable
{
    SamModelLayout Layout { get; }

    ImageEmbedding Encode(RgbImage image, string key, CancellationToken cancellationToken);

    IReadOnlyList<SegmentedObject> Decode(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts, bool multimask, float threshold, CancellationToken cancellationToken);
}
