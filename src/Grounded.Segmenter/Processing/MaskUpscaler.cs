using Grounded.Masks;

namespace Grounded.Segmenter.Processing;

/// <summary>
/// SAM's mask post-processing: low-resolution logits upscaled (bilinear, align_corners=False) to the padded encoder
/// frame, cropped to the resized image, resized (bilinear) to the original size, then thresholded. Float32
/// arithmetic in the same order as PyTorch's CPU kernel, so the thresholded pixels agree with the reference.
/// </summary>
internal static class MaskUpscaler
{
    /// <summary>Upscales one [lowSize, lowSize] logit map to a mask of the original image size.</summary>
    public static BinaryMask ToMask(ReadOnlySpan<float> lowRes, int lowSize, int padSize, int resizedWidth, int resizedHeight, int width, int height, float threshold)
    {
        return new MaskResampler(lowSize, lowSize, padSize, resizedWidth, resizedHeight, width, height).ToMask(lowRes, threshold);
    }
}
