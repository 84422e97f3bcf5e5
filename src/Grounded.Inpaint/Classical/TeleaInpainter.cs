using Grounded.Imaging;
using Grounded.Inpaint.Masking;
using Grounded.Masks;

namespace Grounded.Inpaint.Classical;

/// <summary>
/// Classical fill equal to OpenCV's <c>cv2.inpaint(image, mask, radius, INPAINT_TELEA)</c>. No weights to download,
/// always available: the default for removal without a model. The options' <see cref="InpaintOptions.Radius"/> is
/// the neighbourhood radius.
/// </summary>
/// <remarks>
/// OpenCV's implementation differs from Telea's paper in ways that change pixels, and this port keeps them: the
/// narrow band is a sorted list in which equal arrival times leave in the order they came (raster order first);
/// distances outside the hole are negative (a second fast march outward over the radius); the image gradient uses
/// twice the neighbours' difference for central differences, with OpenCV's shifted indices at the image edge; the
/// estimate adds the normalised sum of the gradient terms (at most ±√2 levels) to the weighted mean instead of the
/// paper's first-order term.
/// </remarks>
public sealed class TeleaInpainter : IInpainter
{
    private const byte Known = 0, Band = 1, Inside = 2, Change = 3;

    /// <inheritdoc />
    public Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => Compositor.Blend(image, Fill(image, mask.Support(), options.Radius, cancellationToken), mask), cancellationToken);
    }

    /// <summary>Fills every true pixel of <paramref name="hole"/> as cv2.inpaint with INPAINT_TELEA; other pixels are copied.</summary>
    public static RgbImage Fill(RgbImage image, BinaryMask hole, int radius, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(hole);
        var output = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        if (image.Width < 2 || image.Height < 2)
        {
            return output;
        }

        new Run(image.Width, image.Height, Math.Clamp(radius, 1, 100), hole, output.Pixels).Fill(cancellationToken);
        return output;
    }

    /// <summary>One fill, on OpenCV's frame: the image with a one-pixel border (index 0 and the last are the border).</summary>
    private sealed class Run
    {
        private readonly int _ew, _eh, _range;
        private readonly byte[] _f;
        private readonly float[] _t;
        private readonly byte[] _pixels;
        private readonly int _stride;
        private readonly BinaryMask _hole;

        public Run(int width, int height, int range, BinaryMask hole, byte[] pixels)
        {
            _ew = width + 2;
            _eh = height + 2;
            _range = range;
            _pixels = pixels;
            _hole = hole;
            _stride = width * 3;
            _f = new byte[_ew * _eh];
            _t = new float[_ew * _eh];
            Array.Fill(_t, 1.0e6f);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    if (hole[x, y])
                    {
                        _f[((y + 1) * _ew) + x + 1] = Inside;
                    }
                }
            }
        }

        public void Fill(CancellationToken cancellationToken)
        {
            // The narrow band: pixels a 3x3 cross around the hole reaches, less the hole, never on the border.
            var band = new byte[_f.Length];
            for (int y = 1; y < _eh - 1; y++)
            {
                for (int x = 1; x < _ew - 1; x++)
                {
                    int p = (y * _ew) + x;
                    if (_f[p] != Inside && (_f[p - 1] == Inside || _f[p + 1] == Inside || _f[p - _ew] == Inside || _f[p + _ew] == Inside))
                    {
                        band[p] = Inside;
                    }
                }
            }

            var heap = new ArrivalQueue();
            var outward = new ArrivalQueue();
            for (int p = 0; p < band.Length; p++)
            {
                if (band[p] != 0)
                {
                    heap.Push(p, 0f);
                    outward.Push(p, 0f);
                    _t[p] = 0f;
                }
            }

            if (heap.Count == 0)
            {
                return;
            }

            // Arrival times outside the hole, within the radius (cv::dilate with a (2r+1)² square), marched outward
            // from the band and negated.
            var near = MaskOps.DilateSquare(_hole, (2 * _range) + 1);
            var ring = new byte[_f.Length];
            for (int y = 0; y < _eh - 2; y++)
            {
                for (int x = 0; x < _ew - 2; x++)
                {
                    int p = ((y + 1) * _ew) + x + 1;
                    ring[p] = (byte)(near[x, y] && _f[p] != Inside && band[p] == 0 ? Inside : 0);
                }
            }

            ClearBorder(ring);
            March(ring, outward);
            Telea(heap, cancellationToken);
        }

        private void ClearBorder(byte[] m)
        {
            for (int x = 0; x < _ew; x++)
            {
                m[x] = 0;
                m[((_eh - 1) * _ew) + x] = 0;
            }

            for (int y = 0; y < _eh; y++)
            {
                m[y * _ew] = 0;
                m[(y * _ew) + _ew - 1] = 0;
            }
        }

        /// <summary>icvCalcFMM with negate: marches over <paramref name="f"/>'s INSIDE pixels, then negates what it reached.</summary>
        private void March(byte[] f, ArrivalQueue queue)
        {
            while (queue.TryPop(out int p))
            {
                f[p] = Change;
                int ii = p / _ew, jj = p % _ew;
                for (int q = 0; q < 4; q++)
                {
                    var (i, j) = Neighbour(q, ii, jj);
                    if (i <= 0 || j <= 0 || i >= _eh || j >= _ew)
                    {
                        continue;
                    }

                    int n = (i * _ew) + j;
                    if (f[n] == Inside)
                    {
                        float dist = Arrival(f, i, j);
                        _t[n] = dist;
                        f[n] = Band;
                        queue.Push(n, dist);
                    }
                }
            }

            for (int p = 0; p < f.Length; p++)
            {
                if (f[p] == Change)
                {
                    _t[p] = -_t[p];
                }
            }
        }

        /// <summary>icvTeleaInpaintFMM for three channels: fills hole pixels in order of arrival.</summary>
        private void Telea(ArrivalQueue heap, CancellationToken cancellationToken)
        {
            int processed = 0;
            while (heap.TryPop(out int p))
            {
                if ((++processed & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                _f[p] = Known;
                int ii = p / _ew, jj = p % _ew;
                for (int q = 0; q < 4; q++)
                {
                    var (i, j) = Neighbour(q, ii, jj);
                    // OpenCV 4.6 (the reference fixtures' version) fills the first row and column too; later
                    // versions skip them (i <= 1).
                    if (i <= 0 || j <= 0 || i > _eh - 1 || j > _ew - 1)
                    {
                        continue;
                    }

                    int n = (i * _ew) + j;
                    if (_f[n] != Inside)
                    {
                        continue;
                    }

                    float dist = Arrival(_f, i, j);
                    _t[n] = dist;
                    Estimate(i, j);
                    _f[n] = Band;
                    heap.Push(n, dist);
                }
            }
        }

        private void Estimate(int i, int j)
        {
            int n = (i * _ew) + j;
            float gradTx = Gradient(n, 1), gradTy = Gradient(n, _ew);
            for (int color = 0; color < 3; color++)
            {
                float ia = 0, jx = 0, jy = 0, s = 1.0e-20f;
                for (int k = i - _range; k <= i + _range; k++)
                {
                    int km = k - 1 + (k == 1 ? 1 : 0), kp = k - 1 - (k == _eh - 2 ? 1 : 0);
                    for (int l = j - _range; l <= j + _range; l++)
                    {
                        int lm = l - 1 + (l == 1 ? 1 : 0), lp = l - 1 - (l == _ew - 2 ? 1 : 0);
                        if (!(k > 0 && l > 0 && k < _eh - 1 && l < _ew - 1))
                        {
                            continue;
                        }

                        int m = (k * _ew) + l;
                        if (_f[m] == Inside || ((l - j) * (l - j)) + ((k - i) * (k - i)) > _range * _range)
                        {
                            continue;
                        }

                        float ry = i - k, rx = j - l;
                        float length = (rx * rx) + (ry * ry);
                        float dst = (float)(1.0 / (length * Math.Sqrt(length)));
                        float lev = (float)(1.0 / (1f + MathF.Abs(_t[m] - _t[n])));
                        float dir = (rx * gradTx) + (ry * gradTy);
                        if (Math.Abs(dir) <= 0.01)
                        {
                            dir = 0.000001f;
                        }

                        float w = MathF.Abs(dst * lev * dir);
                        float gradIx, gradIy;
                        if (_f[m + 1] != Inside)
                        {
                            gradIx = _f[m - 1] != Inside ? (Pixel(km, lp + 1, color) - Pixel(km, lm - 1, color)) * 2.0f : Pixel(km, lp + 1, color) - Pixel(km, lm, color);
                        }
                        else
                        {
                            gradIx = _f[m - 1] != Inside ? Pixel(km, lp, color) - Pixel(km, lm - 1, color) : 0f;
                        }

                        if (_f[m + _ew] != Inside)
                        {
                            gradIy = _f[m - _ew] != Inside ? (Pixel(kp + 1, lm, color) - Pixel(km - 1, lm, color)) * 2.0f : Pixel(kp + 1, lm, color) - Pixel(km, lm, color);
                        }
                        else
                        {
                            gradIy = _f[m - _ew] != Inside ? Pixel(kp, lm, color) - Pixel(km - 1, lm, color) : 0f;
                        }

                        ia += w * Pixel(km, lm, color);
                        jx -= w * (gradIx * rx);
                        jy -= w * (gradIy * ry);
                        s += w;
                    }
                }

                float sat = (ia / s) + ((jx + jy) / (MathF.Sqrt((jx * jx) + (jy * jy)) + 1.0e-20f)) + 0.5f;
                _pixels[((i - 1) * _stride) + ((j - 1) * 3) + color] = (byte)Math.Clamp(MathF.Round(sat, MidpointRounding.ToEven), 0f, 255f);
            }
        }

        /// <summary>The arrival-time gradient along one axis (step 1: x, step width: y), one-sided next to the hole.</summary>
        private float Gradient(int n, int step)
        {
            bool after = _f[n + step] != Inside, before = _f[n - step] != Inside;
            return after
                ? before ? (_t[n + step] - _t[n - step]) * 0.5f : _t[n + step] - _t[n]
                : before ? _t[n] - _t[n - step] : 0f;
        }

        private float Pixel(int row, int col, int color) => _pixels[(row * _stride) + (col * 3) + color];

        /// <summary>The smallest of the four quadrant solutions of the eikonal equation at (i, j).</summary>
        private float Arrival(byte[] f, int i, int j) =>
            Math.Min(Math.Min(Solve(f, i - 1, j, i, j - 1), Solve(f, i + 1, j, i, j - 1)), Math.Min(Solve(f, i - 1, j, i, j + 1), Solve(f, i + 1, j, i, j + 1)));

        private float Solve(byte[] f, int i1, int j1, int i2, int j2)
        {
            int p1 = (i1 * _ew) + j1, p2 = (i2 * _ew) + j2;
            double a11 = _t[p1], a22 = _t[p2], m12 = Math.Min(a11, a22);
            double sol;
            if (f[p1] != Inside)
            {
                sol = f[p2] != Inside
                    ? Math.Abs(a11 - a22) >= 1.0 ? 1 + m12 : (a11 + a22 + Math.Sqrt(2 - ((a11 - a22) * (a11 - a22)))) * 0.5
                    : 1 + a11;
            }
            else
            {
                sol = f[p2] != Inside ? 1 + a22 : 1 + m12;
            }

            return (float)sol;
        }

        private static (int I, int J) Neighbour(int q, int ii, int jj) => q switch
        {
            0 => (ii - 1, jj),
            1 => (ii, jj - 1),
            2 => (ii + 1, jj),
            _ => (ii, jj + 1),
        };
    }

    /// <summary>
    /// OpenCV's narrow band: ordered by arrival time, and among equal times by insertion (it is a sorted list that
    /// inserts after its equals). A binary heap keyed by (time, sequence) pops in exactly that order.
    /// </summary>
    private sealed class ArrivalQueue
    {
        private readonly PriorityQueue<int, (float Time, long Sequence)> _queue = new();
        private long _sequence;

        public int Count => _queue.Count;

        public void Push(int pixel, float time) => _queue.Enqueue(pixel, (time, _sequence++));

        public bool TryPop(out int pixel) => _queue.TryDequeue(out pixel, out _);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
