using Grounded.Masks;

namespace Grounded.Tests.Core;

public class CocoRleTests
{
    [Fact]
    public void Counts_are_column_major_and_start_with_zeros()
    {
        // h=2, w=3:  0 1 1 / 0 0 1  -> column-major 0,0, 1,0, 1,1 -> [2,1,1,2]
        var mask = new BinaryMask(3, 2) { [1, 0] = true, [2, 0] = true, [2, 1] = true };

        var rle = CocoRle.Encode(mask);

        Assert.Equal([2u, 1u, 1u, 2u], rle.Counts);
        Assert.Equal("2111", rle.ToCompressedString());
        Assert.Equal(3, rle.Area());
        Assert.Equal([1.0, 0.0, 2.0, 2.0], rle.ToBboxXywh());
    }

    [Fact]
    public void A_mask_starting_with_a_true_pixel_has_an_empty_zero_run()
    {
        var mask = new BinaryMask(2, 2) { [0, 0] = true };

        Assert.Equal([0u, 1u, 3u], CocoRle.Encode(mask).Counts);
    }

    [Theory]
    // Vectors computed by hand from pycocotools' rleToString (5-bit groups, continuation bit 0x20, sign bit 0x10,
    // +48, and counts[i] - counts[i-2] from the fourth count on).
    [InlineData(new uint[] { 100 }, "T3")]
    [InlineData(new uint[] { 0, 50, 3, 10 }, "0b13hN")]
    [InlineData(new uint[] { 2, 1, 1, 2 }, "2111")]
    public void Compressed_string_matches_pycocotools(uint[] counts, string expected)
    {
        var rle = new CocoRle(10, 10, counts);

        Assert.Equal(expected, rle.ToCompressedString());
        Assert.Equal(counts, CocoRle.FromCompressedString(10, 10, expected).Counts);
    }

    [Fact]
    public void Random_masks_round_trip_through_counts_and_strings()
    {
        var random = new Random(1234);
        for (int trial = 0; trial < 200; trial++)
        {
            int w = random.Next(1, 40), h = random.Next(1, 40);
            var mask = new BinaryMask(w, h);
            double density = random.NextDouble();
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    mask[x, y] = random.NextDouble() < density;
                }
            }

            var rle = CocoRle.Encode(mask);
            var back = CocoRle.FromCompressedString(h, w, rle.ToCompressedString());

            Assert.Equal(rle.Counts, back.Counts);
            Assert.Equal(1.0, back.Decode().IoU(mask));
            Assert.Equal(mask.Area(), rle.Area());
            var box = mask.BoundingBox();
            double[] bbox = rle.ToBboxXywh();
            if (box is { } b)
            {
                Assert.Equal([b.X0, b.Y0, b.Width, b.Height], bbox.Select(v => (float)v));
            }
            else
            {
                Assert.Equal([0.0, 0, 0, 0], bbox);
            }
        }
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(63, 9)]
    [InlineData(64, 7)]
    [InlineData(65, 12)]
    [InlineData(130, 41)]
    public void Sparse_masks_encode_as_pixel_by_pixel_counting_does(int w, int h)
    {
        // The encoder reads only the mask's bounds; blobs in a corner, on an edge, spanning the width, a single pixel,
        // a last pixel and a full mask check the zero runs it counts without reading them.
        var random = new Random(w * 1000 + h);
        for (int trial = 0; trial < 60; trial++)
        {
            var mask = new BinaryMask(w, h);
            int bx = random.Next(w), by = random.Next(h);
            int bw = trial % 6 == 0 ? w - bx : random.Next(1, w - bx + 1), bh = trial % 5 == 0 ? h - by : random.Next(1, h - by + 1);
            double density = trial % 4 == 0 ? 1 : random.NextDouble();
            for (int y = by; y < by + bh; y++)
            {
                for (int x = bx; x < bx + bw; x++)
                {
                    mask[x, y] = random.NextDouble() < density;
                }
            }

            AssertEncodesLikeCounting(mask);
        }

        var last = new BinaryMask(w, h) { [w - 1, h - 1] = true };
        AssertEncodesLikeCounting(last);
        var full = new BinaryMask(w, h);
        for (int y = 0; y < h; y++)
        {
            full.SetRowAbove(y, Enumerable.Repeat(1f, w).ToArray(), 0);
        }

        AssertEncodesLikeCounting(full);
        AssertEncodesLikeCounting(new BinaryMask(w, h));
    }

    private static void AssertEncodesLikeCounting(BinaryMask mask)
    {
        var counts = new List<uint>();
        bool previous = false;
        uint run = 0;
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int x = 0; x < mask.Width; x++)
        {
            for (int y = 0; y < mask.Height; y++)
            {
                bool value = mask[x, y];
                if (value)
                {
                    (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
                }

                if (value != previous)
                {
                    counts.Add(run);
                    run = 0;
                    previous = value;
                }

                run++;
            }
        }

        counts.Add(run);
        Assert.Equal(counts, CocoRle.Encode(mask).Counts);
        Assert.Equal(x1 < 0 ? null : (x0, y0, x1, y1), mask.Bounds());
    }

    [Fact]
    public void Corrupt_strings_are_rejected()
    {
        Assert.Throws<FormatException>(() => CocoRle.FromCompressedString(2, 2, "b"));
        Assert.Throws<FormatException>(() => CocoRle.FromCompressedString(2, 2, "9").Decode());
    }
}
