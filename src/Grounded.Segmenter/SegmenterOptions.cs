namespace Grounded.Segmenter;

/// <summary>How the SAM segmenter is opened. How prompts become masks is each request's <see cref="SegmentOptions"/>.</summary>
public sealed record SegmenterOptions
{
    /// <summary>Device and threading.</summary>
    public RuntimeOptions Runtime { get; init; } = RuntimeOptions.Default;

    /// <summary>How many image embeddings to keep, keyed by image content, so re-prompting skips the encoder (default 4).</summary>
    public int EmbeddingCacheCapacity { get; init; } = 4;

    /// <summary>The defaults.</summary>
    public static SegmenterOptions Default { get; } = new();
}
