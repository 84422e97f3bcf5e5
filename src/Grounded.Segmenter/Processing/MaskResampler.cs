using System.Runtime.CompilerServices;

namespace Grounded.Segmenter.Processing;

/// <summary>
/// SAM's two bilinear resamplings (low-res logits → padded encoder frame, crop to the resized image → original size)
/// for one image geometry, with the axis tables computed once and scratch buffers reused per thread. Only the rows
/// and columns of the intermediate map that the second resampling reads are computed. The arithmetic is
/// PyTorch's CPU bilinear kernel's, value for value.
/// </summary>
internal sealed class MaskResampler
{
    private readonly int _lowW, _lowH, _midW, _outW, _outH;
    private readonly Axis _x1, _y1, _x2, _y2;
    private readonly int[] _neededRows, _neededColumns;
    private readonly ThreadLocal<(float[] Rows, float[] Mid)> _scratch;
    private readonly ThreadLocal<float[]> _row;

    public MaskResampler(int lowW, int lowH, int padSize, int resizedW, int resizedH, int outW, int outH)
    {
        _lowW = lowW;
        _lowH = lowH;
        _midW = resizedW;
        _outW = outW;
        _outH = outH;
        _x1 = Axis.Create(lowW, padSize, resizedW);
        _y1 = Axis.Create(lowH, padSize, resizedH);
        _x2 = Axis.Create(resizedW, outW, outW);
        _y2 = Axis.Create(resizedH, outH, outH);
        _neededRows = [.. _y2.I0.Concat(_y2.I1).Distinct().Order()];
        _neededColumns = [.. _x2.I0.Concat(_x2.I1).Distinct().Order()];
        _scratch = new ThreadLocal<(float[], float[])>(() => (new float[lowH * resizedW], new float[resizedH * resizedW]));
        _row = new ThreadLocal<float[]>(() => new float[outW]);
    }

    /// <summary>Writes the original-size logits of one low-res map into <paramref name="output"/> (outH × outW).</summary>
    public void Resample(ReadOnlySpan<float> low, Span<float> output)
    {
        var mid = Intermediate(low);
        for (int y = 0; y < _outH; y++)
        {
            OutputRow(mid, y, output.Slice(y * _outW, _outW));
        }
    }

    /// <summary>
    /// The thresholded mask of one low-res map, computed a row at a time: no full-resolution float plane (400 MB for a
    /// 10000×10000 image) is ever held, and the values are the same as <see cref="Resample"/> then thresholding.
    /// </summary>
    public Masks.BinaryMask ToMask(ReadOnlySpan<float> low, float threshold)
    {
        var mid = Intermediate(low);
        var mask = new Masks.BinaryMask(_outW, _outH);
        if ((long)_outW * _outH < ParallelPixels)
        {
            var row = _row.Value!;
            for (int y = 0; y < _outH; y++)
            {
                OutputRow(mid, y, row);
                mask.SetRowAbove(y, row, threshold);
            }

            return mask;
        }

        // A large image's rows are made in bands on the pool: a lone mask (a click, one box) uses every core.
        int bands = Math.Min(_outH, Environment.ProcessorCount * 4);
        Parallel.For(0, bands, band =>
        {
            var row = _row.Value!;
            for (int y = (int)((long)band * _outH / bands), end = (int)((long)(band + 1) * _outH / bands); y < end; y++)
            {
                OutputRow(mid, y, row);
                mask.SetRowAbove(y, row, threshold);
            }
        });
        return mask;
    }

    /// <summary>From this many output pixels on, a mask's rows are made in parallel.</summary>
    private const long ParallelPixels = 512 * 512;

    /// <summary>Stage 1: the low-res map resampled to the padded frame, only where stage 2 reads it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] Intermediate(ReadOnlySpan<float> low)
    {
        var (rows, mid) = _scratch.Value;
        // Horizontal: every low row to the resized width (only the columns stage 2 reads).
        for (int r = 0; r < _lowH; r++)
        {
            var src = low.Slice(r * _lowW, _lowW);
            int o = r * _midW;
            foreach (int x in _neededColumns)
            {
                rows[o + x] = (_x1.W0[x] * src[_x1.I0[x]]) + (_x1.W1[x] * src[_x1.I1[x]]);
            }
        }

        // Vertical: only the intermediate rows stage 2 reads.
        foreach (int y in _neededRows)
        {
            int a = _y1.I0[y] * _midW, b = _y1.I1[y] * _midW, o = y * _midW;
            float h0 = _y1.W0[y], h1 = _y1.W1[y];
            foreach (int x in _neededColumns)
            {
                mid[o + x] = (h0 * rows[a + x]) + (h1 * rows[b + x]);
            }
        }

        return mid;
    }

    /// <summary>Stage 2 for one output row: horizontal into the two source rows, then vertical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OutputRow(float[] mid, int y, Span<float> row)
    {
        int a = _y2.I0[y] * _midW, b = _y2.I1[y] * _midW;
        float h0 = _y2.W0[y], h1 = _y2.W1[y];
        for (int x = 0; x < _outW; x++)
        {
            int i0 = _x2.I0[x], i1 = _x2.I1[x];
            float w0 = _x2.W0[x], w1 = _x2.W1[x];
            float top = (w0 * mid[a + i0]) + (w1 * mid[a + i1]);
            float bottom = (w0 * mid[b + i0]) + (w1 * mid[b + i1]);
            row[x] = (h0 * top) + (h1 * bottom);
        }
    }

    /// <summary>Source indices and weights of one axis (align_corners=False), for the first <c>keep</c> outputs.</summary>
    private sealed record Axis(int[] I0, int[] I1, float[] W0, float[] W1)
    {
        public static Axis Create(int inSize, int outSize, int keep)
        {
            var i0 = new int[keep];
            var i1 = new int[keep];
            var w0 = new float[keep];
            var w1 = new float[keep];
            float scale = (float)inSize / outSize;
            for (int d = 0; d < keep; d++)
            {
                float src = (scale * (d + 0.5f)) - 0.5f;
                if (src < 0)
                {
                    src = 0;
                }

                int lo = (int)src;
                float lambda = src - lo;
                i0[d] = lo;
                i1[d] = lo + (lo < inSize - 1 ? 1 : 0);
                w1[d] = lambda;
                w0[d] = 1f - lambda;
            }

            return new Axis(i0, i1, w0, w1);
        }
    }
}
