using Grounded.Inpaint.Masking;
using Grounded.Masks;

namespace Grounded.Tests.Inpaint;

public class MaskOpsTests
{
    private static BinaryMask Dot(int size, int x, int y)
    {
        var mask = new BinaryMask(size, size);
        mask[x, y] = true;
        return mask;
    }

    [Fact]
    public void Dilate_grows_a_point_into_a_disc_and_erode_undoes_it()
    {
        var grown = MaskOps.Dilate(Dot(21, 10, 10), 3);

        // A disc of radius 3: the pixels with dx² + dy² <= 9.
        int expected = 0;
        for (int dy = -3; dy <= 3; dy++)
        {
            for (int dx = -3; dx <= 3; dx++)
            {
                expected += (dx * dx) + (dy * dy) <= 9 ? 1 : 0;
            }
        }

        Assert.Equal(expected, grown.Area());
        Assert.True(grown[13, 10] && !grown[14, 10] && !grown[13, 13]);
        Assert.Equal(1, MaskOps.Erode(grown, 3).Area());
        Assert.Same(grown, MaskOps.Dilate(grown, 0));
    }

    [Fact]
    public void Feather_keeps_the_inside_whole_and_fades_to_zero_at_the_radius()
    {
        var alpha = MaskOps.Feather(MaskOps.Dilate(Dot(41, 20, 20), 5), 6);

        Assert.Equal(1f, alpha.Weights[(20 * 41) + 20]);
        Assert.Equal(1f, alpha.Weights[(20 * 41) + 25]);
        float near = alpha.Weights[(20 * 41) + 27], far = alpha.Weights[(20 * 41) + 30];
        Assert.InRange(near, 0.01f, 0.99f);
        Assert.True(near > far);
        Assert.Equal(0f, alpha.Weights[(20 * 41) + 31]);
        Assert.Equal(0f, MaskOps.Feather(Dot(9, 4, 4), 0).Weights[0]);
    }

    [Fact]
    public void Combine_modes()
    {
        var a = Dot(5, 1, 1);
        var b = Dot(5, 3, 3);

        Assert.Equal(2, MaskOps.Combine([a, b], MaskCombineMode.Merge)[0].Area());
        Assert.Same(a, Assert.Single(MaskOps.Combine([a, b], MaskCombineMode.First)));
        Assert.Equal(2, MaskOps.Combine([a, b], MaskCombineMode.Each).Count);
        Assert.Empty(MaskOps.Combine([], MaskCombineMode.Merge));
    }

    [Fact]
    public void Distances_are_euclidean()
    {
        float[] d = MaskOps.DistanceOutside(Dot(10, 0, 0));

        Assert.Equal(5f, d[(4 * 10) + 3], 1e-5f);
        Assert.Equal(0f, d[0]);
    }
}
