using Grounded.Tensors;
using Grounded.Imaging;
using Grounded.Onnx;
using Grounded.Segmenter;

namespace Grounded.Tests.Support;

/// <summary>Embeddings for test doubles (the constructor is internal to the segmenter).</summary>
internal static class TestEmbeddings
{
    public static ImageEmbedding Of(RgbImage image) =>
        new(new TensorData<float>([0f], [1]), null, image.Width, image.Height, image.Width, image.Height, "test");
}
