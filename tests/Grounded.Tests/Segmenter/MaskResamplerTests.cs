using Grounded.Masks;
using Grounded.Segmenter.Processing;

namespace Grounded.Tests.Segmenter;

public class MaskResamplerTests
{
    [Theory]
    [InlineData(1920, 1080, 1024, 576)] // up: every intermediate column read, rows reused across output rows
    [InlineData(450, 300, 1024, 683)]   // down: a few intermediate columns, taken one at a time
    [InlineData(1001, 333, 1024, 341)]  // widths that do not fill the last eight lanes
    [InlineData(7, 1500, 5, 1024)]      // a tall sliver
    public void Vector_loops_give_the_scalar_floats_and_masks(int width, int height, int resizedWidth, int resizedHeight)
    {
        var low = new float[256 * 256];
        var random = new Random(width + height);
        for (int i = 0; i < low.Length; i++)
        {
            low[i] = (float)((random.NextDouble() - 0.5) * 8);
        }

        var vector = new MaskResampler(256, 256, 1024, resizedWidth, resizedHeight, width, height, vectorised: true);
        var scalar = new MaskResampler(256, 256, 1024, resizedWidth, resizedHeight, width, height, vectorised: false);
        var fromVector = new float[width * height];
        var fromScalar = new float[width * height];

        vector.Resample(low, fromVector);
        scalar.Resample(low, fromScalar);

        // Bit for bit: the same float32 products and sums, in the same order.
        Assert.Equal(fromScalar, fromVector);
        var expected = BinaryMask.FromThreshold(fromScalar, width, height, 0.5f);
        Assert.Equal(1.0, vector.ToMask(low, 0.5f).IoU(expected));
        Assert.Equal(expected.Area(), scalar.ToMask(low, 0.5f).Area());
    }

    [Fact]
    public void A_second_map_through_the_same_resampler_is_not_served_the_first_ones_rows()
    {
        var resampler = new MaskResampler(256, 256, 1024, 1024, 576, 1920, 1080);
        var positive = Enumerable.Repeat(1f, 256 * 256).ToArray();
        var negative = Enumerable.Repeat(-1f, 256 * 256).ToArray();

        Assert.Equal(1920L * 1080, resampler.ToMask(positive, 0f).Area());
        Assert.Equal(0, resampler.ToMask(negative, 0f).Area());
    }
}
