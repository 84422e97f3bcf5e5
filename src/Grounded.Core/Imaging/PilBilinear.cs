using System.Buffers;
using System.Runtime.Intrinsics.X86;

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
public static partial class PilBilinear
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 1.0;

    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new RgbImage(width, height);
        byte[] pixels = result.Pixels;
        Resize(source, width, height, (y, row) => row.CopyTo(pixels.AsSpan(y * width * 3, width * 3)));
        return result;
    }

    /// <summary>
    /// Resizes as <see cref="Resize(RgbImage, int, int)"/> does, handing each output row to <paramref name="sink"/>
    /// instead of building an image: a caller that turns rows into something else (a normalised tensor) writes
    /// them there at once. Rows arrive in parallel, in no order; a row is valid only during its call.
    /// </summary>
    public static void Resize(RgbImage source, int width, int height, ResizedRowSink sink) =>
        Resize(source, width, height, sink, Avx2.IsSupported);

    /// <summary>The resize with the vector passes on or off (the tests run both; they give the same bytes).</summary>
    internal static void Resize(RgbImage source, int width, int height, ResizedRowSink sink, bool vectorised)
    {
        vectorised &= Avx2.IsSupported;
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int stride = width * 3;
        // The horizontal pass's output is only an intermediate: pooled, so a resize per image does not allocate
        // (and fault in) megabytes of fresh large-object heap.
        byte[]? pooled = width != source.Width ? ArrayPool<byte>.Shared.Rent(stride * source.Height) : null;
        try
        {
            byte[] horizontal = source.Pixels;
            if (pooled is not null)
            {
                ResizeHorizontal(source, width, pooled, vectorised);
                horizontal = pooled;
            }

            if (height == source.Height)
            {
                Parallel.For(0, height, y => sink(y, horizontal.AsSpan(y * stride, stride)));
            }
            else
            {
                ResizeVertical(horizontal, stride, source.Height, height, sink, vectorised);
            }
        }
        finally
        {
            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }

    /// <summary>
    /// The fixed-point filter taps of one axis: for output i, Count[i] taps at [i*KernelSize ..] over inputs from
    /// Start[i]; the rest of its KernelSize slots are 0. <see cref="Taps"/> is the largest count.
    /// </summary>
    internal readonly record struct Coefficients(int KernelSize, int[] Start, int[] Count, int[] Weights)
    {
        public int Taps { get; } = Count.Length == 0 ? 0 : Count.Max();
    }

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
}

/// <summary>Receives one resized row of RGB bytes (valid only during the call).</summary>
/// <param name="y">The row's index in the resized image.</param>
/// <param name="rgb">The row's pixels, 3 bytes each.</param>
public delegate void ResizedRowSink(int y, ReadOnlySpan<byte> rgb);
