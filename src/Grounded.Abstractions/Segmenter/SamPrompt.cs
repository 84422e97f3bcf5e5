using Grounded.Geometry;

namespace Grounded.Segmenter;

/// <summary>
/// One object to segment: clicks and/or at most one box, in original-image pixels, and optionally the previous
/// low-resolution mask logits to refine.
/// </summary>
public sealed record SamPrompt
{
    /// <summary>Positive and negative clicks.</summary>
    public IReadOnlyList<PromptPoint> Points { get; init; } = [];

    /// <summary>A box around the object.</summary>
    public BoxXyxy? Box { get; init; }

    /// <summary>
    /// Low-resolution mask logits from an earlier answer (<see cref="MaskCandidate.LowResLogits"/>), fed back as
    /// the decoder's mask input to refine it.
    /// </summary>
    public float[]? MaskInput { get; init; }

    /// <summary>A prompt of clicks only.</summary>
    public static SamPrompt FromPoints(params PromptPoint[] points) => new() { Points = points };

    /// <summary>A prompt of a box only.</summary>
    public static SamPrompt FromBox(BoxXyxy box) => new() { Box = box };
}
