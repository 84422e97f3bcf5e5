using Grounded.Geometry;
using Grounded.Masks;

namespace Grounded.Results;

/// <summary>One object found in an image: its box, what it is, and its mask(s).</summary>
/// <param name="Label">The user's class (or "object" for click prompts).</param>
/// <param name="Phrase">The detector's phrase (empty for click prompts).</param>
/// <param name="Score">Detector score (for click prompts, the chosen mask's predicted IoU).</param>
/// <param name="Box">Box in original pixels (the detector's, or the prompt box, or the mask's extent).</param>
/// <param name="Mask">The chosen mask; null when segmentation did not run.</param>
/// <param name="PredictedIou">The chosen mask's predicted IoU.</param>
/// <param name="Candidates">Every candidate mask with its predicted IoU (three with multimask).</param>
public sealed record SegmentedInstance(
    string Label,
    string Phrase,
    float Score,
    BoxXyxy Box,
    BinaryMask? Mask,
    float? PredictedIou,
    IReadOnlyList<(BinaryMask Mask, float Iou)> Candidates)
{
    /// <summary>Stability score (segment-everything masks).</summary>
    public float? Stability { get; init; }

    /// <summary>The grid point that produced the mask (segment-everything masks), in pixels.</summary>
    public (double X, double Y)? Point { get; init; }
}
