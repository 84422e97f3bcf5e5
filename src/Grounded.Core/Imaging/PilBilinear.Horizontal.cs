using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grounded.Imaging;

public static partial class PilBilinear
{
    private static void ResizeHorizontal(RgbImage source, int width, byte[] dst, bool vectorised)
    {
        var c = Precompute(source.Width, width);
        if (vectorised)
        {
            ResizeHorizontalAvx2(source, width, dst, c);
            return;
        }

        Parallel.For(0, source.Height, y => HorizontalPixels(source.Pixels.AsSpan(y * source.Width * 3), dst.AsSpan(y * width * 3, width * 3), c, 0, width));
    }

    /// <summary>Pillow's loop for output pixels [from, to) of one row: three channels, integer sums, clipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalPixels(ReadOnlySpan<byte> rowIn, Span<byte> rowOut, in Coefficients c, int from, int to)
    {
        var taps = c.Weights.AsSpan();
        for (int xx = from; xx < to; xx++)
        {
            var weights = taps.Slice(xx * c.KernelSize, c.Count[xx]);
            var pixels = rowIn.Slice(c.Start[xx] * 3, weights.Length * 3);
            int r = 1 << (PrecisionBits - 1), g = r, b = r;
            for (int x = 0; x < weights.Length; x++)
            {
                int w = weights[x];
                r += pixels[x * 3] * w;
                g += pixels[(x * 3) + 1] * w;
                b += pixels[(x * 3) + 2] * w;
            }

            rowOut[xx * 3] = Clip8(r);
            rowOut[(xx * 3) + 1] = Clip8(g);
            rowOut[(xx * 3) + 2] = Clip8(b);
        }
    }

    /// <summary>
    /// Two output pixels a step, their channels in the eight int lanes of one AVX2 register ([r g b · r g b ·]):
    /// each tap is one load of each pixel's 4 bytes, one widening, one multiply and one add instead of six of each.
    /// The sums are Pillow's integer sums, so the bytes are the same.
    /// </summary>
    /// <remarks>
    /// Every pixel of a pair runs <see cref="Coefficients.Taps"/> taps (its own count, then zero weights), which reads
    /// up to Taps pixels from its start plus one byte: the pixels where that stays inside the row, and a last one whose
    /// write covers the junk fourth byte of the pair before it, take Pillow's loop instead.
    /// </remarks>
    private static unsafe void ResizeHorizontalAvx2(RgbImage source, int width, byte[] dst, Coefficients c)
    {
        int taps = c.Taps, inWidth = source.Width;
        int vectorEnd = 0;
        while (vectorEnd < width - 1 && c.Start[vectorEnd] + taps < inWidth)
        {
            vectorEnd++;
        }

        vectorEnd &= ~1;
        // [pair][tap][8]: both pixels' weight for a tap, each repeated over its pixel's four lanes.
        var pairWeights = GC.AllocateUninitializedArray<int>(Math.Max(1, vectorEnd / 2 * taps * 8), pinned: true);
        for (int xx = 0; xx < vectorEnd; xx++)
        {
            for (int k = 0; k < taps; k++)
            {
                pairWeights.AsSpan((((xx / 2 * taps) + k) * 8) + (xx % 2 * 4), 4).Fill(c.Weights[(xx * c.KernelSize) + k]);
            }
        }

        byte[] src = source.Pixels;
        Parallel.For(0, source.Height, y =>
        {
            var rowOut = dst.AsSpan(y * width * 3, width * 3);
            fixed (byte* rowIn = &src[y * inWidth * 3])
            fixed (byte* output = rowOut)
            fixed (int* starts = c.Start)
            fixed (int* weights = pairWeights)
            {
                HorizontalPairs(rowIn, output, starts, weights, taps, vectorEnd);
            }

            HorizontalPixels(src.AsSpan(y * inWidth * 3, inWidth * 3), rowOut, c, vectorEnd, width);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void HorizontalPairs(byte* rowIn, byte* rowOut, int* starts, int* pairWeights, int taps, int end)
    {
        var half = Vector256.Create(1 << (PrecisionBits - 1));
        int* weights = pairWeights;
        for (int xx = 0; xx < end; xx += 2)
        {
            byte* first = rowIn + (starts[xx] * 3), second = rowIn + (starts[xx + 1] * 3);
            var sums = half;
            for (int k = 0; k < taps; k++, first += 3, second += 3, weights += 8)
            {
                var pixels = Vector128.Create(Unsafe.ReadUnaligned<uint>(first), Unsafe.ReadUnaligned<uint>(second), 0u, 0u).AsByte();
                sums = Avx2.Add(sums, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(pixels), Avx.LoadVector256(weights)));
            }

            // Saturating packs clip to 0..255 as Pillow's clip8 does; each lane's first 4 bytes are one pixel.
            var words = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(sums, PrecisionBits), Vector256<int>.Zero);
            var bytes = Avx2.PackUnsignedSaturate(words, Vector256<short>.Zero);
            Unsafe.WriteUnaligned(rowOut + (xx * 3), bytes.GetLower().AsUInt32().ToScalar());
            Unsafe.WriteUnaligned(rowOut + (xx * 3) + 3, bytes.GetUpper().AsUInt32().ToScalar());
        }
    }
}
