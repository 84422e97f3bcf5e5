using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grounded.Segmenter.Processing;

/// <summary>
/// SAM's two bilinear resamplings (low-res logits → padded encoder frame, crop to the resized image → original size)
/// for one image geometry, with the axis tables computed once and scratch buffers reused per thread. Only the rows
/// and columns of the intermediate map that the second resampling reads are computed. The arithmetic is
/// PyTorch's CPU bilinear kernel's, value for value.
/// </summary>
internal sealed partial class MaskResampler
{
    private readonly int _lowW, _lowH, _midW, _outW, _outH;
    private readonly Axis _x1, _y1, _x2, _y2;
    private readonly int[] _neededRows, _neededColumns;
    private readonly bool _vectorised;
    private readonly ThreadLocal<(float[] Rows, float[] Mid)> _scratch;
    private readonly ThreadLocal<OutputRows> _rows;

    /// <summary>
    /// The resampler from a <paramref name="lowW"/> × <paramref name="lowH"/> map over a <paramref name="padSize"/>²
    /// frame, cropped to <paramref name="resizedW"/> × <paramref name="resizedH"/>, to <paramref name="outW"/> ×
    /// <paramref name="outH"/>; <paramref name="vectorised"/> says whether the AVX2 loops serve (by default where the
    /// processor has them; the tests turn them off, and both give the same floats).
    /// </summary>
    public MaskResampler(int lowW, int lowH, int padSize, int resizedW, int resizedH, int outW, int outH, bool? vectorised = null)
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
        _vectorised = (vectorised ?? true) && Avx2.IsSupported;
        _scratch = new ThreadLocal<(float[], float[])>(() => (new float[lowH * resizedW], new float[resizedH * resizedW]));
        _rows = new ThreadLocal<OutputRows>(() => new OutputRows(outW));
    }

    /// <summary>Writes the original-size logits of one low-res map into <paramref name="output"/> (outH × outW).</summary>
    public void Resample(ReadOnlySpan<float> low, Span<float> output)
    {
        var mid = Intermediate(low);
        var rows = _rows.Value!;
        rows.Reset();
        for (int y = 0; y < _outH; y++)
        {
            OutputRow(mid, y, rows, output.Slice(y * _outW, _outW));
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
        // A large image's rows are made in bands on the pool: a lone mask (a click, one box) uses every core. A band's
        // rows read the same few intermediate rows, so each band keeps the two it last resampled across.
        int bands = (long)_outW * _outH < ParallelPixels ? 1 : Math.Min(_outH, Environment.ProcessorCount * 2);
        Parallel.For(0, bands, new ParallelOptions { MaxDegreeOfParallelism = bands }, band =>
        {
            var rows = _rows.Value!;
            rows.Reset();
            for (int y = (int)((long)band * _outH / bands), end = (int)((long)(band + 1) * _outH / bands); y < end; y++)
            {
                OutputRow(mid, y, rows, rows.Output);
                mask.SetRowAbove(y, rows.Output, threshold);
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
        // Upscaling reads every column of the intermediate map; a small original reads a few, taken one at a time.
        bool everyColumn = _vectorised && _neededColumns.Length == _midW;
        // Horizontal: every low row to the resized width (only the columns stage 2 reads).
        for (int r = 0; r < _lowH; r++)
        {
            var src = low.Slice(r * _lowW, _lowW);
            int o = r * _midW;
            if (everyColumn)
            {
                Horizontal(src, _x1, rows.AsSpan(o, _midW));
                continue;
            }

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
            if (everyColumn)
            {
                Vertical(rows.AsSpan(a, _midW), rows.AsSpan(b, _midW), h0, h1, mid.AsSpan(o, _midW));
                continue;
            }

            foreach (int x in _neededColumns)
            {
                mid[o + x] = (h0 * rows[a + x]) + (h1 * rows[b + x]);
            }
        }

        return mid;
    }

    /// <summary>
    /// Stage 2 for one output row: each of its two intermediate rows resampled across (reused from the row before
    /// when it reads the same one), then the vertical step. Per value the arithmetic is PyTorch's:
    /// <c>h0 · (w0·a + w1·b) + h1 · (w0·c + w1·d)</c>.
    /// </summary>
    private void OutputRow(float[] mid, int y, OutputRows rows, Span<float> output)
    {
        int a = _y2.I0[y], b = _y2.I1[y];
        var top = rows.Slot(a, keep: b, out bool topStale);
        if (topStale)
        {
            Horizontal(mid.AsSpan(a * _midW, _midW), _x2, top);
        }

        var bottom = rows.Slot(b, keep: a, out bool bottomStale);
        if (bottomStale)
        {
            Horizontal(mid.AsSpan(b * _midW, _midW), _x2, bottom);
        }

        Vertical(top, bottom, _y2.W0[y], _y2.W1[y], output);
    }

    /// <summary><c>h0 · top + h1 · bottom</c> for every value (eight at a time when vectorised).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Vertical(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float h0, float h1, Span<float> output)
    {
        int x = 0;
        if (_vectorised)
        {
            var w0 = Vector256.Create(h0);
            var w1 = Vector256.Create(h1);
            for (; x + 8 <= output.Length; x += 8)
            {
                // Separate multiplies and an add (no fused multiply-add): the reference rounds each product.
                Avx.Add(Avx.Multiply(w0, Vector256.Create(top.Slice(x, 8))), Avx.Multiply(w1, Vector256.Create(bottom.Slice(x, 8)))).CopyTo(output.Slice(x, 8));
            }
        }

        for (; x < output.Length; x++)
        {
            output[x] = (h0 * top[x]) + (h1 * bottom[x]);
        }
    }

    /// <summary>
    /// <c>w0 · src[i0] + w1 · src[i1]</c> for every output of an axis (eight at a time with two AVX2 gathers when
    /// vectorised).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Horizontal(ReadOnlySpan<float> src, Axis axis, Span<float> output)
    {
        int x = 0;
        fixed (float* source = src)
        fixed (int* i0 = axis.I0, i1 = axis.I1)
        fixed (float* w0 = axis.W0, w1 = axis.W1)
        {
            for (; _vectorised && x + 8 <= output.Length; x += 8)
            {
                // The axis tables index inside src (built for its length), so the gathers stay in bounds.
                var first = Avx2.GatherVector256(source, Avx.LoadVector256(i0 + x), 4);
                var second = Avx2.GatherVector256(source, Avx.LoadVector256(i1 + x), 4);
                Avx.Add(Avx.Multiply(Avx.LoadVector256(w0 + x), first), Avx.Multiply(Avx.LoadVector256(w1 + x), second)).CopyTo(output.Slice(x, 8));
            }
        }

        for (; x < output.Length; x++)
        {
            output[x] = (axis.W0[x] * src[axis.I0[x]]) + (axis.W1[x] * src[axis.I1[x]]);
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
