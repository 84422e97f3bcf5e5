using Grounded.Tensors;

namespace Grounded.Segmenter;

/// <summary>
/// What the SAM image encoder made of one image, with the geometry needed to map prompts in and masks out.
/// Computed once per image and reused for every prompt.
/// </summary>
public sealed class ImageEmbedding
{
    /// <summary>Creates an embedding (segmenters do; tests and fakes may).</summary>
    public ImageEmbedding(TensorData<float> embeddings, TensorData<float>? positionalEmbeddings, int originalWidth, int originalHeight, int resizedWidth, int resizedHeight, string key)
    {
        Embeddings = embeddings;
        PositionalEmbeddings = positionalEmbeddings;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        ResizedWidth = resizedWidth;
        ResizedHeight = resizedHeight;
        Key = key;
    }

    /// <summary>image_embeddings [1, C, 64, 64].</summary>
    public TensorData<float> Embeddings { get; }

    /// <summary>image_positional_embeddings [1, C, 64, 64] (Hugging Face layout only).</summary>
    public TensorData<float>? PositionalEmbeddings { get; }

    /// <summary>Width of the image that was encoded.</summary>
    public int OriginalWidth { get; }

    /// <summary>Height of the image that was encoded.</summary>
    public int OriginalHeight { get; }

    /// <summary>Width after resizing the longest side to the encoder's size.</summary>
    public int ResizedWidth { get; }

    /// <summary>Height after resizing the longest side to the encoder's size.</summary>
    public int ResizedHeight { get; }

    /// <summary>Content hash of the encoded image (the cache key).</summary>
    public string Key { get; }
}
