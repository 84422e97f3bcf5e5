namespace Grounded.Imaging;

/// <summary>
/// PIL's <c>Image.resize(size, BILINEAR)</c> on 8-bit RGB, reproduced bit for bit: a triangle filter whose
/// support widens with the shrink factor (antialiasing), coefficients quantised to 22-bit fixed point,
/// a horizontal pass then a vertical pass, each rounded and clipped to 0..255.
/// </summary>
/// <remarks>
/// Every reference Grounded follows (Hugging Face processors, segment-anything, Grounding DINO) resizes this
/// way before normalising, and the models flip answers under a one-level difference, so this is the one
/// resampler used for model inputs. Structure follows Pillow's Resample.c (precompute_coeffs,
/// normalize_coeffs_8bpc, ImagingResampleHorizontal/Vertical_8bpc).
/// </remarks>
public static class PilBilinear
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 1.0;

    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == source.Width && height == source.Height)
        {
            return new RgbImage(width, height, (byte[])source.Pixels.Clone());
        }

        var current = source;
        if (width != source.Width)
        {
            current = ResizeHorizontal(current, width);
        }

        if (height != source.Height)
        {
            current = ResizeVertical(current, height);
        }

        return current;
    }

    /// <summary>The fixed-point filter taps of one axis: for output i, taps [i*KernelSize ..] over inputs from Start[i].</summary>
    internal readonly record struct Coefficients(int KernelSize, int[] Start, int[] Count, int[] Weights);

    internal static Coefficients Precompute(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * kernelSize];
        var k = new double[kernelSize];
        double inverseScale = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0)
            {
                xmin = 0;
            }

            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize)
            {
                xmax = inSize;
            }

            xmax -= xmin;
            double total = 0.0;
            for (int x = 0; x < xmax; x++)
            {
                double w = Triangle((x + xmin - center + 0.5) * inverseScale);
                k[x] = w;
                total += w;
            }

            for (int x = 0; x < xmax; x++)
            {
                double w = total != 0.0 ? k[x] / total : k[x];
                // Pillow rounds half away from zero when quantising.
                weights[xx * kernelSize + x] = w < 0
                    ? (int)(-0.5 + w * (1 << PrecisionBits))
                    : (int)(0.5 + w * (1 << PrecisionBits));
            }

            start[xx] = xmin;
            count[xx] = xmax;
        }

        return new Coefficients(kernelSize, start, count, weights);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static byte Clip8(int value)
    {
        int shifted = value >> PrecisionBits;
        return shifted < 0 ? (byte)0 : shifted > 255 ? (byte)255 : (byte)shifted;
    }

    private static RgbImage ResizeHorizontal(RgbImage source, int width)
    {
        var c = Precompute(source.Width, width);
        var result = new RgbImage(width, source.Height);
        byte[] src = source.Pixels;
        byte[] dst = result.Pixels;
        int srcStride = source.Width * 3;
        Parallel.For(0, source.Height, y =>
        {
            int rowIn = y * srcStride;
            int rowOut = y * width * 3;
            for (int xx = 0; xx < width; xx++)
            {
                int xmin = c.Start[xx];
                int n = c.Count[xx];
                int kOffset = xx * c.KernelSize;
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                for (int x = 0; x < n; x++)
                {
                    int w = c.Weights[kOffset + x];
                    int p = rowIn + (xmin + x) * 3;
                    r += src[p] * w;
                    g += src[p + 1] * w;
                    b += src[p + 2] * w;
                }

                int o = rowOut + xx * 3;
                dst[o] = Clip8(r);
                dst[o + 1] = Clip8(g);
                dst[o + 2] = Clip8(b);
            }
        });
        return result;
    }

    private static RgbImage ResizeVertical(RgbImage source, int height)
    {
        var c = Precompute(source.Height, height);
        var result = new RgbImage(source.Width, height);
        byte[] src = source.Pixels;
        byte[] dst = result.Pixels;
        int stride = source.Width * 3;
        Parallel.For(0, height, yy =>
        {
            int ymin = c.Start[yy];
            int n = c.Count[yy];
            int kOffset = yy * c.KernelSize;
            int rowOut = yy * stride;
            for (int i = 0; i < stride; i++)
            {
                int acc = 1 << (PrecisionBits - 1);
                for (int y = 0; y < n; y++)
                {
                    acc += src[(ymin + y) * stride + i] * c.Weights[kOffset + y];
                }

                dst[rowOut + i] = Clip8(acc);
            }
        });
        return result;
    }
}
