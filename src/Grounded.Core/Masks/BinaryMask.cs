using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Grounded.Geometry;

namespace Grounded.Masks;

/// <summary>
/// A binary mask of a fixed size, one bit per pixel, row-major (bit <c>y * Width + x</c>).
/// </summary>
public sealed class BinaryMask
{
    private readonly ulong[] _bits;

    /// <summary>Creates an all-false mask.</summary>
    public BinaryMask(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        Width = width;
        Height = height;
        _bits = new ulong[((long)width * height + 63) / 64];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets or sets one pixel.</summary>
    public bool this[int x, int y]
    {
        get
        {
            long i = (long)y * Width + x;
            return (_bits[i >> 6] & (1UL << (int)(i & 63))) != 0;
        }

        set
        {
            long i = (long)y * Width + x;
            if (value)
            {
                _bits[i >> 6] |= 1UL << (int)(i & 63);
            }
            else
            {
                _bits[i >> 6] &= ~(1UL << (int)(i & 63));
            }
        }
    }

    /// <summary>Gets a pixel by its row-major index.</summary>
    public bool Get(long index) => (_bits[index >> 6] & (1UL << (int)(index & 63))) != 0;

    /// <summary>Sets a pixel by its row-major index.</summary>
    public void Set(long index, bool value)
    {
        if (value)
        {
            _bits[index >> 6] |= 1UL << (int)(index & 63);
        }
        else
        {
            _bits[index >> 6] &= ~(1UL << (int)(index & 63));
        }
    }

    /// <summary>Number of true pixels.</summary>
    public long Area()
    {
        long total = 0;
        foreach (ulong word in _bits)
        {
            total += BitOperations.PopCount(word);
        }

        return total;
    }

    /// <summary>
    /// Tight box around the true pixels, as pixel edges (x0, y0, x1 + 1, y1 + 1); null for an empty mask.
    /// </summary>
    public BoxXyxy? BoundingBox() => Bounds() is var (x0, y0, x1, y1) ? new BoxXyxy(x0, y0, x1 + 1, y1 + 1) : null;

    /// <summary>
    /// The first and last true pixel's column and row (inclusive); null for an empty mask. Reads the bits a word at a
    /// time: only the lowest and highest true bit of each row's part of a word can move the bounds.
    /// </summary>
    public (int X0, int Y0, int X1, int Y1)? Bounds()
    {
        int x0 = int.MaxValue, y0 = -1, x1 = -1, y1 = -1;
        long width = Width;
        for (int i = 0; i < _bits.Length; i++)
        {
            ulong word = _bits[i];
            long first = (long)i << 6;
            while (word != 0)
            {
                long low = first + BitOperations.TrailingZeroCount(word);
                long row = low / width;
                long rowEnd = (row + 1) * width - first;
                ulong part = rowEnd >= 64 ? word : word & ((1UL << (int)rowEnd) - 1);
                long high = first + 63 - BitOperations.LeadingZeroCount(part);
                x0 = Math.Min(x0, (int)(low - (row * width)));
                x1 = Math.Max(x1, (int)(high - (row * width)));
                if (y0 < 0)
                {
                    y0 = (int)row;
                }

                y1 = (int)row;
                word &= ~part;
            }
        }

        return x1 < 0 ? null : (x0, y0, x1, y1);
    }

    /// <summary>Intersection over union with a mask of the same size (1 when both are empty).</summary>
    public double IoU(BinaryMask other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Width != Width || other.Height != Height)
        {
            throw new ArgumentException($"Mask sizes differ: {Width}x{Height} vs {other.Width}x{other.Height}.", nameof(other));
        }

        long inter = 0, union = 0;
        for (int i = 0; i < _bits.Length; i++)
        {
            inter += BitOperations.PopCount(_bits[i] & other._bits[i]);
            union += BitOperations.PopCount(_bits[i] | other._bits[i]);
        }

        return union == 0 ? 1.0 : (double)inter / union;
    }

    /// <summary>Builds a mask from logits (or probabilities) in row-major order: true where value &gt; threshold.</summary>
    public static BinaryMask FromThreshold(ReadOnlySpan<float> values, int width, int height, float threshold)
    {
        if (values.Length != (long)width * height)
        {
            throw new ArgumentException($"Expected {(long)width * height} values, got {values.Length}.", nameof(values));
        }

        var mask = new BinaryMask(width, height);
        for (int y = 0; y < height; y++)
        {
            mask.SetRowAbove(y, values.Slice(y * width, width), threshold);
        }

        return mask;
    }

    /// <summary>
    /// Sets the pixels of row <paramref name="y"/> whose value is above <paramref name="threshold"/> (the others are
    /// left as they are). Different rows may be set from different threads at once: the words a row shares with
    /// the rows beside it are updated atomically, the others written whole.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetRowAbove(int y, ReadOnlySpan<float> values, float threshold)
    {
        if (values.Length != Width)
        {
            throw new ArgumentException($"Expected {Width} values, got {values.Length}.", nameof(values));
        }

        long start = (long)y * Width;
        // A row starting inside a word shares it with the row before; one ending inside a word, with the row after.
        int head = (int)Math.Min(Width, (64 - (start & 63)) & 63);
        OrShared(start >> 6, Above(values[..head], threshold) << (int)(start & 63));
        int k = head;
        if (Vector256.IsHardwareAccelerated)
        {
            var limit = Vector256.Create(threshold);
            ref float first = ref MemoryMarshal.GetReference(values);
            for (; Width - k >= 64; k += 64)
            {
                ulong bits = 0;
                for (int j = 0; j < 64; j += 8)
                {
                    bits |= (ulong)Vector256.GreaterThan(Vector256.LoadUnsafe(ref first, (nuint)(k + j)), limit).ExtractMostSignificantBits() << j;
                }

                _bits[(start + k) >> 6] |= bits;
            }
        }

        for (; Width - k >= 64; k += 64)
        {
            _bits[(start + k) >> 6] |= Above(values.Slice(k, 64), threshold);
        }

        OrShared((start + k) >> 6, Above(values[k..], threshold));
    }

    private void OrShared(long word, ulong bits)
    {
        if (bits != 0)
        {
            Interlocked.Or(ref _bits[word], bits);
        }
    }

    /// <summary>Up to 64 values as bits: bit k set where value k is above the threshold (NaN is not).</summary>
    private static ulong Above(ReadOnlySpan<float> values, float threshold)
    {
        ulong bits = 0;
        for (int k = 0; k < values.Length; k++)
        {
            if (values[k] > threshold)
            {
                bits |= 1UL << k;
            }
        }

        return bits;
    }

    /// <summary>Builds a mask from 8-bit values: non-zero is true.</summary>
    public static BinaryMask FromBytes(ReadOnlySpan<byte> values, int width, int height)
    {
        var mask = new BinaryMask(width, height);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
            {
                mask._bits[i >> 6] |= 1UL << (i & 63);
            }
        }

        return mask;
    }
}
