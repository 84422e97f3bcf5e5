using System.Buffers;
using System.Text;

namespace Grounded.Masks;

/// <summary>
/// COCO run-length encoding, identical to pycocotools: runs counted in column-major (Fortran) order,
/// starting with a run of zeros (possibly empty), and the compressed LEB128-like string form.
/// </summary>
public sealed class CocoRle
{
    /// <summary>Creates an RLE from its parts.</summary>
    public CocoRle(int height, int width, uint[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Height = height;
        Width = width;
        Counts = counts;
    }

    /// <summary>Mask height (COCO "size"[0]).</summary>
    public int Height { get; }

    /// <summary>Mask width (COCO "size"[1]).</summary>
    public int Width { get; }

    /// <summary>Alternating run lengths, zeros first, in column-major order.</summary>
    public IReadOnlyList<uint> Counts { get; }

    /// <summary>Encodes a mask.</summary>
    public static CocoRle Encode(BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int h = mask.Height, w = mask.Width;
        // A noisy mask has tens of thousands of runs: they are gathered in pooled buffers, so only the final array is
        // allocated (a growing list put a large-object-heap array per doubling into every folder run).
        uint[] counts = ArrayPool<uint>.Shared.Rent(256);
        int n = 0;
        bool previous = false;
        uint run = 0;

        // Outside the mask's bounds every pixel is false: those columns, and the rows above and below the bounds in
        // the others, only lengthen a run of zeros, so only the pixels inside the bounds are read one by one.
        if (mask.Bounds() is var (x0, y0, x1, y1))
        {
            Extend(false, (long)x0 * h);
            for (int x = x0; x <= x1; x++)
            {
                Extend(false, y0);
                for (int y = y0; y <= y1; y++)
                {
                    Extend(mask.Get(((long)y * w) + x), 1);
                }

                Extend(false, h - 1 - y1);
            }

            Extend(false, (long)(w - 1 - x1) * h);
        }
        else
        {
            Extend(false, (long)w * h);
        }

        Add(run);
        var rle = new CocoRle(h, w, counts.AsSpan(0, n).ToArray());
        ArrayPool<uint>.Shared.Return(counts);
        return rle;

        void Extend(bool value, long length)
        {
            if (length == 0)
            {
                return;
            }

            if (value != previous)
            {
                Add(run);
                run = 0;
                previous = value;
            }

            run += (uint)length;
        }

        void Add(uint count)
        {
            if (n == counts.Length)
            {
                uint[] larger = ArrayPool<uint>.Shared.Rent(n * 2);
                counts.AsSpan(0, n).CopyTo(larger);
                ArrayPool<uint>.Shared.Return(counts);
                counts = larger;
            }

            counts[n++] = count;
        }
    }

    /// <summary>Decodes to a mask.</summary>
    public BinaryMask Decode()
    {
        var mask = new BinaryMask(Width, Height);
        long position = 0;
        bool value = false;
        long total = (long)Width * Height;
        foreach (uint count in Counts)
        {
            if (position + count > total)
            {
                throw new FormatException($"RLE counts cover more than the {Height}x{Width} mask.");
            }

            if (value)
            {
                for (long i = position; i < position + count; i++)
                {
                    long y = i % Height, x = i / Height;
                    mask.Set(y * Width + x, true);
                }
            }

            position += count;
            value = !value;
        }

        return mask;
    }

    /// <summary>Number of true pixels.</summary>
    public long Area()
    {
        long area = 0;
        for (int i = 1; i < Counts.Count; i += 2)
        {
            area += Counts[i];
        }

        return area;
    }

    /// <summary>Bounding box as pycocotools' toBbox computes it: [x, y, width, height].</summary>
    public double[] ToBboxXywh()
    {
        int m = Counts.Count / 2 * 2;
        if (m == 0)
        {
            return [0, 0, 0, 0];
        }

        long h = Height;
        long xs = Width, ys = Height, xe = 0, ye = 0, cc = 0, xp = 0;
        for (int j = 0; j < m; j++)
        {
            cc += Counts[j];
            long t = cc - (j % 2);
            long y = t % h, x = (t - y) / h;
            if (j % 2 == 0)
            {
                xp = x;
            }
            else if (xp < x)
            {
                ys = 0;
                ye = h - 1;
            }

            xs = Math.Min(xs, x);
            xe = Math.Max(xe, x);
            ys = Math.Min(ys, y);
            ye = Math.Max(ye, y);
        }

        return [xs, ys, xe - xs + 1, ye - ys + 1];
    }

    /// <summary>The compressed string form (pycocotools rleToString).</summary>
    public string ToCompressedString()
    {
        // A count takes at most 7 characters (5 bits each, with sign): the text is made in a pooled buffer.
        char[] text = ArrayPool<char>.Shared.Rent((Counts.Count * 7) + 1);
        int length = 0;
        for (int i = 0; i < Counts.Count; i++)
        {
            long x = Counts[i];
            if (i > 2)
            {
                x -= Counts[i - 2];
            }

            bool more = true;
            while (more)
            {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                {
                    c |= 0x20;
                }

                text[length++] = (char)(c + 48);
            }
        }

        string result = new(text, 0, length);
        ArrayPool<char>.Shared.Return(text);
        return result;
    }

    /// <summary>Parses the compressed string form (pycocotools rleFrString).</summary>
    public static CocoRle FromCompressedString(int height, int width, string counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var result = new List<uint>();
        int p = 0;
        while (p < counts.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= counts.Length)
                {
                    throw new FormatException("Truncated compressed RLE string.");
                }

                long c = counts[p] - 48;
                if (c is < 0 or > 63)
                {
                    throw new FormatException($"Invalid character '{counts[p]}' in compressed RLE string.");
                }

                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0)
                {
                    x |= -1L << (5 * k);
                }
            }

            if (result.Count > 2)
            {
                x += result[^2];
            }

            if (x < 0 || x > uint.MaxValue)
            {
                throw new FormatException("Compressed RLE string decodes to a negative or oversized run.");
            }

            result.Add((uint)x);
        }

        return new CocoRle(height, width, [.. result]);
    }
}
