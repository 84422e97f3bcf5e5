using Grounded.Imaging;
using Grounded.Inpaint.Masking;
using Grounded.Masks;

namespace Grounded.Inpaint.Classical;

/// <summary>
/// Classical fill by Telea's fast marching method (as cv2.INPAINT_TELEA): the hole is filled from its boundary
/// inward in order of distance, each pixel from a weighted first-order estimate of its known neighbours within a
/// radius. No weights to download, always available; the default for removal without a model.
/// </summary>
public sealed class TeleaInpainter(int radius = 5) : IInpainter
{
    private const byte Known = 0, Band = 1, Inside = 2;

    /// <inheritdoc />
    public Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        return Task.Run(() => Compositor.Blend(image, Fill(image, mask.Support(), radius, cancellationToken), mask), cancellationToken);
    }

    /// <summary>Fills every true pixel of <paramref name="hole"/>; other pixels are copied.</summary>
    public static RgbImage Fill(RgbImage image, BinaryMask hole, int radius, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(hole);
        int w = image.Width, h = image.Height;
        var values = new float[w * h * 3];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = image.Pixels[i];
        }

        var flags = new byte[w * h];
        var t = new float[w * h];
        var heap = new PriorityQueue<int, float>();
        for (int i = 0; i < flags.Length; i++)
        {
            flags[i] = hole.Get(i) ? Inside : Known;
            t[i] = hole.Get(i) ? 1e6f : 0f;
        }

        // The narrow band: known pixels touching the hole.
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                if (flags[i] == Known && TouchesInside(flags, x, y, w, h))
                {
                    flags[i] = Band;
                    heap.Enqueue(i, 0f);
                }
            }
        }

        int processed = 0;
        while (heap.TryDequeue(out int current, out _))
        {
            if ((++processed & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            flags[current] = Known;
            int cx = current % w, cy = current / w;
            foreach (var (dx, dy) in Neighbours)
            {
                int nx = cx + dx, ny = cy + dy;
                if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                {
                    continue;
                }

                int n = (ny * w) + nx;
                if (flags[n] != Inside)
                {
                    continue;
                }

                t[n] = Math.Min(Math.Min(Solve(t, flags, nx - 1, ny, nx, ny - 1, w, h), Solve(t, flags, nx + 1, ny, nx, ny - 1, w, h)),
                    Math.Min(Solve(t, flags, nx - 1, ny, nx, ny + 1, w, h), Solve(t, flags, nx + 1, ny, nx, ny + 1, w, h)));
                Estimate(values, t, flags, nx, ny, w, h, radius);
                flags[n] = Band;
                heap.Enqueue(n, t[n]);
            }
        }

        var result = new RgbImage(w, h);
        for (int i = 0; i < values.Length; i++)
        {
            result.Pixels[i] = (byte)Math.Clamp((int)MathF.Round(values[i]), 0, 255);
        }

        return result;
    }

    private static readonly (int Dx, int Dy)[] Neighbours = [(-1, 0), (1, 0), (0, -1), (0, 1)];

    private static bool TouchesInside(byte[] flags, int x, int y, int w, int h)
    {
        foreach (var (dx, dy) in Neighbours)
        {
            int nx = x + dx, ny = y + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h && flags[(ny * w) + nx] == Inside)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The eikonal update |∇T| = 1 from two neighbours (Telea's solve()).</summary>
    private static float Solve(float[] t, byte[] flags, int x1, int y1, int x2, int y2, int w, int h)
    {
        const float Large = 1e6f;
        bool ok1 = x1 >= 0 && y1 >= 0 && x1 < w && y1 < h && flags[(y1 * w) + x1] != Inside;
        bool ok2 = x2 >= 0 && y2 >= 0 && x2 < w && y2 < h && flags[(y2 * w) + x2] != Inside;
        float t1 = ok1 ? t[(y1 * w) + x1] : Large, t2 = ok2 ? t[(y2 * w) + x2] : Large;
        if (ok1 && ok2)
        {
            float r = MathF.Sqrt(2 - ((t1 - t2) * (t1 - t2)));
            float s = (t1 + t2 - r) / 2;
            if (s >= t1 && s >= t2)
            {
                return s;
            }

            s += r;
            if (s >= t1 && s >= t2)
            {
                return s;
            }

            return Large;
        }

        return ok1 ? 1 + t1 : ok2 ? 1 + t2 : Large;
    }

    /// <summary>Telea's weighted estimate: Σ w·(I(q) + ∇I(q)·(p − q)) / Σ w over known q within the radius.</summary>
    private static void Estimate(float[] values, float[] t, byte[] flags, int x, int y, int w, int h, int radius)
    {
        int p = (y * w) + x;
        var (gtx, gty) = Gradient(t, flags, x, y, w, h);
        Span<float> sum = stackalloc float[3];
        float weights = 0;
        for (int ky = Math.Max(0, y - radius); ky <= Math.Min(h - 1, y + radius); ky++)
        {
            for (int kx = Math.Max(0, x - radius); kx <= Math.Min(w - 1, x + radius); kx++)
            {
                int q = (ky * w) + kx;
                if (flags[q] == Inside || q == p)
                {
                    continue;
                }

                float rx = x - kx, ry = y - ky;
                float r2 = (rx * rx) + (ry * ry);
                if (r2 > radius * radius)
                {
                    continue;
                }

                float r = MathF.Sqrt(r2);
                float direction = MathF.Abs(((rx * gtx) + (ry * gty)) / r);
                direction = direction < 1e-6f ? 1e-6f : direction;
                float distance = 1f / r2;
                float level = 1f / (1f + MathF.Abs(t[q] - t[p]));
                float weight = direction * distance * level;
                for (int c = 0; c < 3; c++)
                {
                    var (gx, gy) = ImageGradient(values, flags, kx, ky, w, h, c);
                    sum[c] += weight * (values[(q * 3) + c] + (gx * rx) + (gy * ry));
                }

                weights += weight;
            }
        }

        if (weights > 0)
        {
            for (int c = 0; c < 3; c++)
            {
                values[(p * 3) + c] = sum[c] / weights;
            }
        }
    }

    /// <summary>The gradient of the arrival time T, from neighbours that are not still inside the hole.</summary>
    private static (float Gx, float Gy) Gradient(float[] t, byte[] flags, int x, int y, int w, int h) =>
        Differences(flags, x, y, w, h, i => t[i]);

    /// <summary>The gradient of one colour channel over known pixels only.</summary>
    private static (float Gx, float Gy) ImageGradient(float[] values, byte[] flags, int x, int y, int w, int h, int c) =>
        Differences(flags, x, y, w, h, i => values[(i * 3) + c]);

    /// <summary>Central differences where both sides are usable, else one-sided, else 0.</summary>
    private static (float Gx, float Gy) Differences(byte[] flags, int x, int y, int w, int h, Func<int, float> value)
    {
        bool Usable(int sx, int sy) => sx >= 0 && sy >= 0 && sx < w && sy < h && flags[(sy * w) + sx] != Inside;
        float V(int sx, int sy) => value((sy * w) + sx);
        float gx = Usable(x + 1, y) && Usable(x - 1, y) ? (V(x + 1, y) - V(x - 1, y)) / 2
            : Usable(x + 1, y) ? V(x + 1, y) - V(x, y)
            : Usable(x - 1, y) ? V(x, y) - V(x - 1, y) : 0;
        float gy = Usable(x, y + 1) && Usable(x, y - 1) ? (V(x, y + 1) - V(x, y - 1)) / 2
            : Usable(x, y + 1) ? V(x, y + 1) - V(x, y)
            : Usable(x, y - 1) ? V(x, y) - V(x, y - 1) : 0;
        return (gx, gy);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
