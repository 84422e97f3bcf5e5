using Grounded.Masks;

namespace Grounded.Tests.Core;

public class MaskContoursTests
{
    [Fact]
    public void A_rectangle_traces_to_its_four_corners()
    {
        var mask = new BinaryMask(20, 10);
        for (int y = 2; y <= 6; y++)
        {
            for (int x = 3; x <= 12; x++)
            {
                mask[x, y] = true;
            }
        }

        var polygon = Assert.Single(MaskContours.Trace(mask));

        Assert.Equal(4, polygon.Count);
        Assert.Equal(new HashSet<(int, int)> { (3, 2), (12, 2), (12, 6), (3, 6) }, polygon.ToHashSet());
    }

    [Fact]
    public void Separate_regions_give_separate_polygons_largest_first_and_small_ones_can_be_dropped()
    {
        var mask = new BinaryMask(30, 30);
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 10; x++)
            {
                mask[x, y] = true;
            }
        }

        for (int y = 20; y < 23; y++)
        {
            for (int x = 20; x < 23; x++)
            {
                mask[x, y] = true;
            }
        }

        mask[28, 28] = true;

        var all = MaskContours.Trace(mask);
        var big = MaskContours.Trace(mask, minArea: 4);

        Assert.Equal(3, all.Count);
        Assert.Contains((0, 0), all[0]);
        Assert.Equal(2, big.Count);
        Assert.All(all[0], p => Assert.True(p.X is 0 or 9 || p.Y is 0 or 9)); // on the boundary
    }

    [Fact]
    public void A_diagonal_shape_keeps_its_outline_within_the_tolerance()
    {
        // A filled right triangle: the traced, simplified outline stays on the boundary.
        var mask = new BinaryMask(40, 40);
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x <= y; x++)
            {
                mask[x, y] = true;
            }
        }

        var polygon = Assert.Single(MaskContours.Trace(mask, tolerance: 1.0));

        Assert.InRange(polygon.Count, 3, 8);
        Assert.All(polygon, p => Assert.True(mask[p.X, p.Y]));
    }
}
