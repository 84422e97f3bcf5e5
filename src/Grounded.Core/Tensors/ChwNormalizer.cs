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
        var tensor = Prepare(image.Width, image.Height, padHeight, padWidth, destination);
        var normaliser = new RowNormaliser(mean, std, rescaleFactor, arithmetic);
        byte[] px = image.Pixels;
        int w = image.Width;
        Parallel.For(0, image.Height, y => WriteRow(normaliser, px.AsSpan(y * w * 3, w * 3), tensor, y, padHeight, padWidth));
        return tensor;
    }

    /// <summary>
    /// Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/> (PIL bilinear) and
    /// normalises it into <paramref name="destination"/> in one pass: the same values as <see cref="PilBilinear.Resize(RgbImage, int, int)"/>
    /// then <see cref="ToChw"/>, without the resized image. Every element of the destination is written, so it may
    /// come from a pool uncleared.
    /// </summary>
    public static float[] ResizeToChw(RgbImage source, int width, int height, int padHeight, int padWidth, ReadOnlySpan<double> mean, ReadOnlySpan<double> std, double rescaleFactor, float[] destination, NormalizationArithmetic arithmetic = NormalizationArithmetic.FoldedScale)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tensor = Prepare(width, height, padHeight, padWidth, destination);
        var normaliser = new RowNormaliser(mean, std, rescaleFactor, arithmetic);
        PilBilinear.Resize(source, width, height, (y, row) => WriteRow(normaliser, row, tensor, y, padHeight, padWidth));
        return tensor;
    }

    /// <summary>The tensor to write, its padding (outside the image's rows and columns) already zero.</summary>
    private static float[] Prepare(int width, int height, int padHeight, int padWidth, float[]? destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(padHeight, height);
        ArgumentOutOfRangeException.ThrowIfLessThan(padWidth, width);
        int plane = padHeight * padWidth;
        if (destination is null)
        {
            return new float[3 * plane];
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, 3 * plane, nameof(destination));
        for (int c = 0; c < 3; c++)
        {
            var channel = destination.AsSpan(c * plane, plane);
            if (width < padWidth)
            {
                for (int y = 0; y < height; y++)
                {
                    channel.Slice((y * padWidth) + width, padWidth - width).Clear();
                }
            }

            channel[(height * padWidth)..].Clear();
        }

        return destination;
    }

    private static void WriteRow(RowNormaliser normaliser, ReadOnlySpan<byte> rgb, float[] tensor, int y, int padHeight, int padWidth)
    {
        int plane = padHeight * padWidth, w = rgb.Length / 3;
        normaliser.WriteRow(rgb, tensor.AsSpan(y * padWidth, w), tensor.AsSpan(plane + (y * padWidth), w), tensor.AsSpan((2 * plane) + (y * padWidth), w));
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
