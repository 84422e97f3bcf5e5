using Grounded.Masks;

namespace Grounded.Segmenter;

/// <summary>The masks for every prompt of a <see cref="SegmentationRequest"/>, in prompt order.</summary>
public sealed record SegmentationResult(IReadOnlyList<SegmentedObject> Objects);

/// <summary>The candidate masks of one prompt.</summary>
/// <param name="Candidates">One mask (single output) or three (multimask), in the model's order.</param>
/// <param name="BestIndex">The candidate with the highest predicted IoU.</param>
public sealed record SegmentedObject(IReadOnlyList<MaskCandidate> Candidates, int BestIndex)
{
    /// <summary>The chosen mask.</summary>
    public MaskCandidate Best => Candidates[BestIndex];
}

/// <summary>One mask at the original image size, with the model's own estimate of its quality.</summary>
/// <param name="Mask">The binary mask (logit &gt; threshold).</param>
/// <param name="PredictedIou">The decoder's IoU prediction.</param>
/// <param name="LowResLogits">The 256×256 logits, for refinement via <see cref="SamPrompt.MaskInput"/>.</param>
public sealed record MaskCandidate(BinaryMask Mask, float PredictedIou, float[] LowResLogits);
