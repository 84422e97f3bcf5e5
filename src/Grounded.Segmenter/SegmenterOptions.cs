using Grounded.Onnx;

namespace Grounded.Segmenter;

/// <summary>How the SAM segmenter runs.</summary>
public sealed record SegmenterOptions
{
    /// <summary>ONNX Runtime device and threading.</summary>
    public OnnxRuntimeOptions Runtime { get; init; } = OnnxRuntimeOptions.Default;

    /// <summary>Mask logits above this are foreground (default 0.0, segment-anything's <c>mask_threshold</c>).</summary>
    public float MaskThreshold { get; init; }

    /// <summary>How many image embeddings to keep, keyed by image content, so re-prompting skips the encoder (default 4).</summary>
    public int EmbeddingCacheCapacity { get; init; } = 4;

    /// <summary>The defaults.</summary>
    public static SegmenterOptions Default { get; } = new();
}
