using Grounded.Imaging;

namespace Grounded.Tensors;

/// <summary>
/// Turns a resized 8-bit image into a normalised float32 CHW tensor, zero-padded bottom/right, with the
/// arithmetic of the references: <c>(x - mean·s⁻¹) / (std·s⁻¹)</c> in float32, where s is the rescale factor.
/// </summary>
/// <remarks>
/// Hugging Face's image processors fold the 1/255 rescale into mean and std (both scaled by 1/s in float32) and
/// segment-anything normalises 0..255 values by mean/std given on that scale, so both are this one formula.
/// The tests check the result against the fixtures' SHA-256 of every float.
/// </remarks>
public static class ChwNormalizer
{
    /// <summary>
    /// Writes <paramref name="image"/> into a [3, padHeight, padWidth] tensor; pixels outside the image are 0
    /// (padding happens after normalisation, as in the references).
    /// </summary>
    /// <param name="image">The resized image.</param>
    /// <param name="padHeight">Tensor height (≥ image height).</param>
    /// <param name="padWidth">Tensor width (≥ image width).</param>
    /// <param name="mean">Per-channel mean on the rescaled scale (e.g. 0.485 with rescale 1/255).</param>
    /// <param name="std">Per-channel standard deviation on the rescaled scale.</param>
    /// <param name="rescaleFactor">The factor taking 0..255 to the mean/std scale (1/255, or 1 for 0..255 means).</param>
    /// <param name="destination">Where to write; allocated when null.</param>
    /// <param name="arithmetic">The float32 operation order of the reference (default: Hugging Face's folded scale).</param>
    public static float[] ToChw(RgbImage image, int padHeight, int padWidth, ReadOnlySpan<double> mean, ReadOnlySpan<double> std, double rescaleFactor, float[]? destination = null, NormalizationArithmetic arithmetic = NormalizationArithmetic.FoldedScale)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(padHeight, image.Height);
        ArgumentOutOfRangeException.ThrowIfLessThan(padWidth, image.Width);
        int plane = padHeight * padWidth;
        var tensor = destination ?? new float[3 * plane];
        if (destination is not null)
        {
            Array.Clear(destination);
        }

        // 256 entries per channel: the whole normalisation is a table lookup, computed with the reference's
        // float32 operation order so that every value is bit-identical.
        var table = new float[3 * 256];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                table[c * 256 + v] = arithmetic == NormalizationArithmetic.FoldedScale
                    ? Folded(v, mean[c], std[c], rescaleFactor)
                    : (((float)v / (float)(1.0 / rescaleFactor)) - (float)mean[c]) / (float)std[c];
            }
        }

        byte[] px = image.Pixels;
        int w = image.Width;
        Parallel.For(0, image.Height, y =>
        {
            int src = y * w * 3;
            int dst = y * padWidth;
            for (int x = 0; x < w; x++, src += 3)
            {
                tensor[dst + x] = table[px[src]];
                tensor[plane + dst + x] = table[256 + px[src + 1]];
                tensor[2 * plane + dst + x] = table[512 + px[src + 2]];
            }
        });
        return tensor;
    }

    private static float Folded(int v, double mean, double std, double rescaleFactor)
    {
        float scale = (float)(1.0 / rescaleFactor);
        return (v - ((float)mean * scale)) / ((float)std * scale);
    }

    /// <summary>Writes the image as an HWC float32 tensor of raw 0..255 values (for graphs that normalise internally).</summary>
    public static float[] ToHwc255(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tensor = new float[image.Pixels.Length];
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor[i] = image.Pixels[i];
        }

        return tensor;
    }
}

/// <summary>The float32 operation order a reference normalises with; the fixtures tell them apart bit for bit.</summary>
public enum NormalizationArithmetic
{
    /// <summary><c>(x - mean/s) / (std/s)</c> on 0..255 values: Hugging Face's fast processors and segment-anything.</summary>
    FoldedScale,

    /// <summary><c>(x / (1/s) - mean) / std</c>: torchvision's ToTensor then Normalize (the IDEA Grounding DINO code).</summary>
    RescaleThenNormalize,
}
