using Grounded.Masks;

namespace Grounded.Tests.Core;

/// <summary>Rows thresholded into a mask from many threads at once give the mask thresholded in one pass.</summary>
public sealed class BinaryMaskRowTests
{
    [Theory]
    [InlineData(37, 301)]
    [InlineData(64, 50)]
    [InlineData(100, 333)]
    [InlineData(1, 500)]
    public void Rows_set_concurrently_equal_one_threshold_pass(int width, int height)
    {
        var random = new Random(width * height);
        var values = new float[width * height];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        var mask = new BinaryMask(width, height);
        // Neighbouring rows share words whenever the width is not a multiple of 64: every row on its own task.
        Parallel.For(0, height, new ParallelOptions { MaxDegreeOfParallelism = 8 }, y => mask.SetRowAbove(y, values.AsSpan(y * width, width), 0.1f));

        var expected = BinaryMask.FromThreshold(values, width, height, 0.1f);
        Assert.Equal(expected.Area(), mask.Area());
        Assert.Equal(1.0, mask.IoU(expected));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(130)]
    [InlineData(203)]
    public void Each_pixel_is_set_exactly_where_its_value_is_above_the_threshold(int width)
    {
        const int Height = 9;
        var random = new Random(width);
        float[] specials = [0.25f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0.2500001f];
        var values = new float[width * Height];
        for (int i = 0; i < values.Length; i++)
        {
            // The threshold itself, NaN and the infinities among ordinary values, in rows that start mid-word.
            values[i] = random.Next(4) == 0 ? specials[random.Next(specials.Length)] : (float)(random.NextDouble() - 0.5);
        }

        var mask = new BinaryMask(width, Height);
        for (int y = 0; y < Height; y++)
        {
            mask.SetRowAbove(y, values.AsSpan(y * width, width), 0.25f);
        }

        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Assert.Equal(values[(y * width) + x] > 0.25f, mask[x, y]);
            }
        }
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused()
    {
        var mask = new BinaryMask(10, 2);

        Assert.Throws<ArgumentException>(() => mask.SetRowAbove(0, new float[9], 0f));
    }
}
