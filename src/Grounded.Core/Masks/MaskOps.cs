namespace Grounded.Masks;

/// <summary>Mask operations before inpainting: grow, shrink, soften, combine.</summary>
public static class MaskOps
{
    /// <summary>Grows the mask by <paramref name="radius"/> pixels (a disc), as cv2.dilate with an elliptical kernel.</summary>
    public static BinaryMask Dilate(BinaryMask mask, int radius) => Morph(mask, radius, grow: true);

    /// <summary>
    /// cv2.dilate with a <paramref name="kernel"/>×<paramref name="kernel"/> square of ones and the default anchor
    /// (the kernel's centre, kernel/2): what the removal pipelines (Inpaint-Anything's dilate_kernel_size) do.
    /// 0 or 1 leaves the mask as it is.
    /// </summary>
    public static BinaryMask DilateSquare(BinaryMask mask, int kernel)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (kernel <= 1)
        {
            return mask;
        }

        int w = mask.Width, h = mask.Height, anchor = kernel / 2;
        // A source pixel at x reaches outputs x - (kernel - 1 - anchor) … x + anchor: separable running counts.
        int before = kernel - 1 - anchor, after = anchor;
        var rows = new BinaryMask(w, h);
        for (int y = 0; y < h; y++)
        {
            int count = 0;
            for (int x = -after; x < w + before; x++)
            {
                int add = x + after, drop = x - before - 1;
                count += add < w && add >= 0 && mask[add, y] ? 1 : 0;
                count -= drop >= 0 && drop < w && mask[drop, y] ? 1 : 0;
                if (x >= 0 && x < w && count > 0)
                {
                    rows[x, y] = true;
                }
            }
        }

        var result = new BinaryMask(w, h);
        for (int x = 0; x < w; x++)
        {
            int count = 0;
            for (int y = -after; y < h + before; y++)
            {
                int add = y + after, drop = y - before - 1;
                count += add < h && add >= 0 && rows[x, add] ? 1 : 0;
                count -= drop >= 0 && drop < h && rows[x, drop] ? 1 : 0;
                if (y >= 0 && y < h && count > 0)
                {
                    result[x, y] = true;
                }
            }
        }

        return result;
    }

    /// <summary>Shrinks the mask by <paramref name="radius"/> pixels (a disc).</summary>
    public static BinaryMask Erode(BinaryMask mask, int radius) => Morph(mask, radius, grow: false);

    /// <summary>
    /// Softens the edge over <paramref name="radius"/> pixels outward: full weight inside the mask, falling
    /// smoothly to 0 at <paramref name="radius"/> pixels from it (a Gaussian of the distance); 0 gives a hard mask.
    /// </summary>
    public static AlphaMask Feather(BinaryMask mask, int radius)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (radius <= 0)
        {
            return AlphaMask.From(mask);
        }

        float[] distance = DistanceOutside(mask);
        var weights = new float[distance.Length];
        float sigma = radius / 2f;
        for (int i = 0; i < weights.Length; i++)
        {
            float d = distance[i];
            weights[i] = d == 0 ? 1f : d >= radius ? 0f : MathF.Exp(-(d * d) / (2 * sigma * sigma));
        }

        return new AlphaMask(mask.Width, mask.Height, weights);
    }

    /// <summary>
    /// Combines per-object masks: <c>first</c> keeps the first, <c>merge</c> takes the union, <c>each</c> keeps them
    /// apart (one edit per object).
    /// </summary>
    public static IReadOnlyList<BinaryMask> Combine(IReadOnlyList<BinaryMask> masks, MaskCombineMode mode)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count == 0)
        {
            return [];
        }

        switch (mode)
        {
            case MaskCombineMode.First:
                return [masks[0]];
            case MaskCombineMode.Each:
                return masks;
            default:
                var union = new BinaryMask(masks[0].Width, masks[0].Height);
                long n = (long)union.Width * union.Height;
                foreach (var m in masks)
                {
                    for (long i = 0; i < n; i++)
                    {
                        if (m.Get(i))
                        {
                            union.Set(i, true);
                        }
                    }
                }

                return [union];
        }
    }

    private static BinaryMask Morph(BinaryMask mask, int radius, bool grow)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (radius <= 0)
        {
            return mask;
        }

        // Distance to the nearest pixel of the other kind, then a disc threshold: exact for any radius, O(pixels).
        var source = grow ? mask : Invert(mask);
        float[] distance = DistanceOutside(source);
        var result = new BinaryMask(mask.Width, mask.Height);
        for (int i = 0; i < distance.Length; i++)
        {
            bool inGrown = distance[i] <= radius;
            result.Set(i, grow ? inGrown : !inGrown);
        }

        return result;
    }

    private static BinaryMask Invert(BinaryMask mask)
    {
        var inverted = new BinaryMask(mask.Width, mask.Height);
        long n = (long)mask.Width * mask.Height;
        for (long i = 0; i < n; i++)
        {
            inverted.Set(i, !mask.Get(i));
        }

        return inverted;
    }

    /// <summary>Euclidean distance from every pixel to the nearest true pixel (0 inside), Felzenszwalb–Huttenlocher.</summary>
    internal static float[] DistanceOutside(BinaryMask mask)
    {
        int w = mask.Width, h = mask.Height;
        const float Inf = 1e20f;
        var f = new float[w * h];
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = mask.Get(i) ? 0f : Inf;
        }

        // Columns, then rows, of squared distances.
        Parallel.For(0, w, x =>
        {
            var column = new float[h];
            var output = new float[h];
            for (int y = 0; y < h; y++)
            {
                column[y] = f[(y * w) + x];
            }

            Transform1D(column, output);
            for (int y = 0; y < h; y++)
            {
                f[(y * w) + x] = output[y];
            }
        });
        Parallel.For(0, h, y =>
        {
            var row = new float[w];
            var output = new float[w];
            Array.Copy(f, y * w, row, 0, w);
            Transform1D(row, output);
            for (int x = 0; x < w; x++)
            {
                f[(y * w) + x] = MathF.Sqrt(output[x]);
            }
        });
        return f;
    }

    private static float Intersection(float[] f, int q, int p) => ((f[q] + (q * q)) - (f[p] + (p * p))) / (2f * (q - p));

    private static void Transform1D(float[] f, float[] d)
    {
        int n = f.Length;
        var v = new int[n];
        var z = new float[n + 1];
        int k = 0;
        v[0] = 0;
        z[0] = float.NegativeInfinity;
        z[1] = float.PositiveInfinity;
        for (int q = 1; q < n; q++)
        {
            float s = Intersection(f, q, v[k]);
            while (s <= z[k])
            {
                // z[0] is -infinity, so this stops at k = 0.
                k--;
                s = Intersection(f, q, v[k]);
            }

            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = float.PositiveInfinity;
        }

        k = 0;
        for (int q = 0; q < n; q++)
        {
            while (z[k + 1] < q)
            {
                k++;
            }

            float dq = q - v[k];
            d[q] = (dq * dq) + f[v[k]];
        }
    }
}
