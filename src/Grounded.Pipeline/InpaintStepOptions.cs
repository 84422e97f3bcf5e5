using Grounded.Inpaint;
using Grounded.Inpaint.Masking;

namespace Grounded.Pipeline;

/// <summary>Options of <see cref="InpaintStep"/>.</summary>
public sealed record InpaintStepOptions
{
    /// <summary>Grow each mask by this many pixels first, to cover edges and shadows (default 8).</summary>
    public int Dilate { get; init; } = 8;

    /// <summary>Blend over this many pixels outside the mask (default 4; 0 gives a hard edge).</summary>
    public int Feather { get; init; } = 4;

    /// <summary>How objects' masks become edits (default merge: one edit of their union).</summary>
    public MaskCombineMode Combine { get; init; } = MaskCombineMode.Merge;

    /// <summary>Prompt, steps, seed… for generative inpainters.</summary>
    public InpaintRequest Request { get; init; } = InpaintRequest.Remove;
}
