using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>Options of <see cref="SegmentStep"/>.</summary>
public sealed record SegmentStepOptions
{
    /// <summary>Keep all three candidate masks per object (the chosen one is still the best by predicted IoU).</summary>
    public bool Multimask { get; init; }

    /// <summary>Click/box prompts given directly (no detector): one object per prompt.</summary>
    public IReadOnlyList<SamPrompt>? Prompts { get; init; }
}
