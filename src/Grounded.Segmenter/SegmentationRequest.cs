namespace Grounded.Segmenter;

/// <summary>What to segment in one image: one object per prompt.</summary>
public sealed record SegmentationRequest
{
    /// <summary>The prompts; each gives one <see cref="SegmentedObject"/>.</summary>
    public required IReadOnlyList<SamPrompt> Prompts { get; init; }

    /// <summary>
    /// Return the three candidate masks of the multimask head (best by predicted IoU first-class), as SAM does for an
    /// ambiguous single click. When false, the single-mask answer is returned.
    /// </summary>
    public bool Multimask { get; init; }
}
