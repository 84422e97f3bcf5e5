using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grounded.Tensors;

/// <summary>
/// Turns a row of RGB bytes into three float32 channel rows with a reference's arithmetic,
/// <c>((v / d) - mean) / std</c> per channel, where d is 1 for <see cref="NormalizationArithmetic.FoldedScale"/>
/// (whose mean and std are scaled instead) and 1/rescale for <see cref="NormalizationArithmetic.RescaleThenNormalize"/>.
/// </summary>
/// <remarks>
/// Each value is one IEEE float32 expression of the byte, so eight lanes at once give the same bits as a 256-entry
/// table computed one value at a time; the table serves the pixels that do not fill a vector.
/// </remarks>
internal sealed class RowNormaliser
{
    private readonly float[] _divisor = new float[3];
    private readonly float[] _mean = new float[3];
    private readonly float[] _std = new float[3];
    private readonly float[] _table = new float[3 * 256];

    public RowNormaliser(ReadOnlySpan<double> mean, ReadOnlySpan<double> std, double rescaleFactor, NormalizationArithmetic arithmetic)
    {
        float scale = (float)(1.0 / rescaleFactor);
        for (int c = 0; c < 3; c++)
        {
            bool folded = arithmetic == NormalizationArithmetic.FoldedScale;
            _divisor[c] = folded ? 1f : scale;
            _mean[c] = folded ? (float)mean[c] * scale : (float)mean[c];
            _std[c] = folded ? (float)std[c] * scale : (float)std[c];
            for (int v = 0; v < 256; v++)
            {
                // v / 1 is exact, so the folded values are (v - mean·s) / (std·s), as Hugging Face computes them.
                _table[(c * 256) + v] = (((float)v / _divisor[c]) - _mean[c]) / _std[c];
            }
        }
    }

    /// <summary>Whether rows go through the AVX2 path where the processor has it (the tests turn it off to check both give the same bits).</summary>
    internal bool Vectorised { get; init => field = value && Avx2.IsSupported; } = Avx2.IsSupported;

    /// <summary>Writes the normalised channels of <paramref name="rgb"/> (3 bytes a pixel) to the three rows.</summary>
    public void WriteRow(ReadOnlySpan<byte> rgb, Span<float> red, Span<float> green, Span<float> blue)
    {
        int width = rgb.Length / 3;
        // The vector path writes through pointers: the rows must hold the pixels.
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(red.Length, Math.Min(green.Length, blue.Length)), width);
        int done = Vectorised ? WriteEights(rgb, red, green, blue) : 0;
        for (int x = done; x < width; x++)
        {
            red[x] = _table[rgb[x * 3]];
            green[x] = _table[256 + rgb[(x * 3) + 1]];
            blue[x] = _table[512 + rgb[(x * 3) + 2]];
        }
    }

    /// <summary>
    /// Eight pixels a step: two 16-byte loads (pixels 0-3 and 4-7), a byte shuffle per channel that gathers its eight
    /// bytes, widening, conversion and the reference's float operations. Returns how many pixels it wrote.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int WriteEights(ReadOnlySpan<byte> rgb, Span<float> red, Span<float> green, Span<float> blue)
    {
        // The second load reads 4 bytes past a step's 24: stop where that would leave the row.
        int steps = rgb.Length < 28 ? 0 : ((rgb.Length - 28) / 24) + 1;
        fixed (byte* input = rgb)
        fixed (float* r = red)
        fixed (float* g = green)
        fixed (float* b = blue)
        {
            WriteChannel(input, steps, 0, r);
            WriteChannel(input, steps, 1, g);
            WriteChannel(input, steps, 2, b);
        }

        return steps * 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void WriteChannel(byte* input, int steps, int c, float* output)
    {
        var first = Vector128.Create((byte)c, (byte)(c + 3), (byte)(c + 6), (byte)(c + 9), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
        var second = Vector128.Create(0x80, 0x80, 0x80, 0x80, (byte)c, (byte)(c + 3), (byte)(c + 6), (byte)(c + 9), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
        var divisor = Vector256.Create(_divisor[c]);
        var mean = Vector256.Create(_mean[c]);
        var std = Vector256.Create(_std[c]);
        bool divide = _divisor[c] != 1f;
        for (int step = 0; step < steps; step++)
        {
            byte* p = input + (step * 24);
            var bytes = Sse2.Or(Ssse3.Shuffle(Sse2.LoadVector128(p), first), Ssse3.Shuffle(Sse2.LoadVector128(p + 12), second));
            var values = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
            if (divide)
            {
                values = Avx.Divide(values, divisor);
            }

            Avx.Store(output + (step * 8), Avx.Divide(Avx.Subtract(values, mean), std));
        }
    }
}
