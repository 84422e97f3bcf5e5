using System.Buffers;
using System.Runtime.CompilerServices;

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
    public static void Resize(RgbImage source, int width, int height, ResizedRowSink sink)
    {
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
                ResizeHorizontal(source, width, pooled);
                horizontal = pooled;
            }

            if (height == source.Height)
            {
                Parallel.For(0, height, y => sink(y, horizontal.AsSpan(y * stride, stride)));
            }
            else
            {
                ResizeVertical(horizontal, stride, source.Height, height, sink);
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

    private static void ResizeHorizontal(RgbImage source, int width, byte[] dst)
    {
        var c = Precompute(source.Width, width);
        byte[] src = source.Pixels;
        int srcStride = source.Width * 3;
        int[] starts = c.Start, counts = c.Count, taps = c.Weights;
        int kernelSize = c.KernelSize;
        Parallel.For(0, source.Height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (y) =>
        {
            ref byte rowIn = ref src[y * srcStride];
            ref byte rowOut = ref dst[y * width * 3];
            ref int firstTap = ref taps[0];
            for (int xx = 0; xx < width; xx++)
            {
                // The taps and pixels were bounds-checked by Precompute (start + count <= the input width), so the
                // inner loop reads them through refs: it runs 3 × taps times per output pixel.
                ref int weights = ref Unsafe.Add(ref firstTap, xx * kernelSize);
                ref byte pixels = ref Unsafe.Add(ref rowIn, starts[xx] * 3);
                int n = counts[xx];
                int r = 1 << (PrecisionBits - 1), g = r, b = r;
                for (int x = 0; x < n; x++)
                {
                    int w = Unsafe.Add(ref weights, x);
                    ref byte p = ref Unsafe.Add(ref pixels, x * 3);
                    r += p * w;
                    g += Unsafe.Add(ref p, 1) * w;
                    b += Unsafe.Add(ref p, 2) * w;
                }

                ref byte o = ref Unsafe.Add(ref rowOut, xx * 3);
                o = Clip8(r);
                Unsafe.Add(ref o, 1) = Clip8(g);
                Unsafe.Add(ref o, 2) = Clip8(b);
            }
        });
    }

    private static void ResizeVertical(byte[] src, int stride, int sourceHeight, int height, ResizedRowSink sink)
    {
        var c = Precompute(sourceHeight, height);
        // Each output row sums whole input rows into an integer accumulator row: the same integer sums as Pillow's
        // per-pixel loop (integer addition does not care about order), read row by row instead of down columns.
        using var rows = new ThreadLocal<(int[] Sums, byte[] Row)>(() => (new int[stride], new byte[stride]));
        Parallel.For(0, height, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (yy) =>
        {
            var (sums, row) = rows.Value;
            var acc = sums.AsSpan();
            acc.Fill(1 << (PrecisionBits - 1));
            var weights = c.Weights.AsSpan(yy * c.KernelSize, c.Count[yy]);
            for (int y = 0; y < weights.Length; y++)
            {
                int w = weights[y];
                var input = src.AsSpan((c.Start[yy] + y) * stride, stride);
                for (int i = 0; i < input.Length; i++)
                {
                    acc[i] += input[i] * w;
                }
            }

            var output = row.AsSpan();
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = Clip8(acc[i]);
            }

            sink(yy, output);
        });
    }
}

/// <summary>Receives one resized row of RGB bytes (valid only during the call).</summary>
/// <param name="y">The row's index in the resized image.</param>
/// <param name="rgb">The row's pixels, 3 bytes each.</param>
public delegate void ResizedRowSink(int y, ReadOnlySpan<byte> rgb);
