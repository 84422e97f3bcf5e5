using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grounded.Imaging;

public static partial class PilBilinear
{
    private static void ResizeVertical(byte[] src, int stride, int sourceHeight, int height, ResizedRowSink sink, bool vectorised)
    {
        var c = Precompute(sourceHeight, height);
        using var rows = new ThreadLocal<byte[]>(() => new byte[stride]);
        Parallel.For(0, height, yy =>
        {
            byte[] row = rows.Value!;
            int done = vectorised ? VerticalChunks(src, stride, c, yy, row) : 0;
            VerticalBytes(src, stride, c, yy, row, done);
            sink(yy, row);
        });
    }

    /// <summary>Pillow's loop for bytes [from, stride) of output row <paramref name="yy"/>: the taps run down a column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalBytes(byte[] src, int stride, in Coefficients c, int yy, byte[] row, int from)
    {
        var weights = c.Weights.AsSpan(yy * c.KernelSize, c.Count[yy]);
        int first = c.Start[yy] * stride;
        for (int i = from; i < stride; i++)
        {
            int sum = 1 << (PrecisionBits - 1);
            for (int y = 0, at = first + i; y < weights.Length; y++, at += stride)
            {
                sum += src[at] * weights[y];
            }

            row[i] = Clip8(sum);
        }
    }

    /// <summary>
    /// 32 output bytes a step, summed in four AVX2 registers of eight ints over the row's taps (each tap one broadcast
    /// weight times 32 widened input bytes): Pillow's integer sums, so the same bytes. Returns how many bytes it wrote.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int VerticalChunks(byte[] src, int stride, in Coefficients c, int yy, byte[] row)
    {
        int count = c.Count[yy], end = stride & ~31;
        var half = Vector256.Create(1 << (PrecisionBits - 1));
        // The packs below interleave the four registers' halves per 128-bit lane; this puts the 32 bytes in order.
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        fixed (byte* input = &src[c.Start[yy] * stride])
        fixed (byte* output = row)
        fixed (int* weights = &c.Weights[yy * c.KernelSize])
        {
            for (int i = 0; i < end; i += 32)
            {
                Vector256<int> s0 = half, s1 = half, s2 = half, s3 = half;
                byte* p = input + i;
                for (int y = 0; y < count; y++, p += stride)
                {
                    var w = Vector256.Create(weights[y]);
                    s0 = Avx2.Add(s0, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p), w));
                    s1 = Avx2.Add(s1, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 8), w));
                    s2 = Avx2.Add(s2, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 16), w));
                    s3 = Avx2.Add(s3, Avx2.MultiplyLow(Avx2.ConvertToVector256Int32(p + 24), w));
                }

                // Saturating packs clip to 0..255 as Pillow's clip8 does.
                var low = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(s0, PrecisionBits), Avx2.ShiftRightArithmetic(s1, PrecisionBits));
                var high = Avx2.PackSignedSaturate(Avx2.ShiftRightArithmetic(s2, PrecisionBits), Avx2.ShiftRightArithmetic(s3, PrecisionBits));
                var bytes = Avx2.PermuteVar8x32(Avx2.PackUnsignedSaturate(low, high).AsInt32(), order);
                Avx.Store(output + i, bytes.AsByte());
            }
        }

        return end;
    }
}
