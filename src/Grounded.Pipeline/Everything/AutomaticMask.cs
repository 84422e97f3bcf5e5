using Grounded.Masks;

namespace Grounded.Pipeline.Everything;

/// <summary>One mask found without a prompt, with what segment-anything's generator reports for it.</summary>
/// <param name="Segmentation">The mask at the image's size.</param>
/// <param name="Area">True pixels.</param>
/// <param name="BboxXywh">[x, y, w, h] with w = x_max − x_min (the reference's convention, inclusive edges).</param>
/// <param name="PredictedIou">The decoder's IoU prediction.</param>
/// <param name="StabilityScore">IoU of the mask thresholded at ±offset.</param>
/// <param name="PointCoords">The grid point that produced it, in image pixels.</param>
/// <param name="CropBoxXywh">The crop it came from.</param>
public sealed record AutomaticMask(BinaryMask Segmentation, long Area, float[] BboxXywh, float PredictedIou, float StabilityScore, (double X, double Y) PointCoords, int[] CropBoxXywh);
