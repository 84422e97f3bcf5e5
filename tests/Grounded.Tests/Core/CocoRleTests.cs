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

    [Fact]
    public void Corrupt_strings_are_rejected()
    {
        Assert.Throws<FormatException>(() => CocoRle.FromCompressedString(2, 2, "b"));
        Assert.Throws<FormatException>(() => CocoRle.FromCompressedString(2, 2, "9").Decode());
    }
}
