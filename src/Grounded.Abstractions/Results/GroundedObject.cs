using Grounded.Geometry;
using Grounded.Masks;

namespace Grounded.Results;

/// <summary>
/// One object in an image, from its detection to its mask: the detector makes it, the segmenter gives it a mask
/// (the pipeline carries the same object, by identity, from step to step), and outputs write it.
/// </summary>
/// <param name="Label">The user's class (or "object" for clicks and segment-everything).</param>
/// <param name="Phrase">The detector's phrase (empty without a detector).</param>
/// <param name="Score">The detector's score (without one, the chosen mask's predicted IoU).</param>
/// <param name="Box">Box in original pixels (the detector's, the prompt's, or the mask's extent).</param>
public sealed record GroundedObject(string Label, string Phrase, float Score, BoxXyxy Box)
{
    /// <summary>The chosen mask; null until segmentation ran.</summary>
    public BinaryMask? Mask { get; init; }

    /// <summary>The chosen mask's predicted IoU.</summary>
    public float? PredictedIou { get; init; }

    /// <summary>Every candidate mask with its predicted IoU (three with multimask).</summary>
    public IReadOnlyList<(BinaryMask Mask, float Iou)> Candidates { get; init; } = [];

    /// <summary>Stability score (segment-everything masks).</summary>
    public float? Stability { get; init; }

    /// <summary>The grid point that produced the mask (segment-everything masks), in pixels.</summary>
    public (double X, double Y)? Point { get; init; }

    /// <summary>The detector query that produced the box (detections).</summary>
    public int? QueryIndex { get; init; }
}
