using Grounded.Settings;

namespace Grounded.Segmenter;

/// <summary>How prompts become masks. Defaults are segment-anything's SamPredictor's. Validated when built.</summary>
public sealed record SegmentOptions
{
    private readonly float _maskThreshold;

    /// <summary>
    /// Return the three candidate masks of the multimask head (the best by predicted IoU is still chosen), as SAM
    /// does for an ambiguous single click. When false, the single-mask answer is returned.
    /// </summary>
    public bool Multimask { get; init; }

    /// <summary>Mask logits above this are foreground (finite, default 0.0, segment-anything's <c>mask_threshold</c>).</summary>
    public float MaskThreshold
    {
        get => _maskThreshold;
        init => _maskThreshold = Check.Finite(value, "mask_threshold", -100f, 100f);
    }

    /// <summary>The defaults.</summary>
    public static SegmentOptions Default { get; } = new();
}
