namespace Grounded.Segmenter;

/// <summary>What to segment in one image: one object per prompt.</summary>
public sealed record SegmentationRequest
{
    /// <summary>The prompts; each gives one <see cref="SegmentedObject"/>.</summary>
    public required IReadOnlyList<SamPrompt> Prompts { get; init; }

    /// <summary>Multimask and the mask threshold.</summary>
    public SegmentOptions Options { get; init; } = SegmentOptions.Default;
}
