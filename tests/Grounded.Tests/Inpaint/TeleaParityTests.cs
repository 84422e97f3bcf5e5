using System.Text.Json;
using Grounded.Imaging;
using Grounded.Inpaint.Classical;
using Grounded.Masks;
using Grounded.Tests.Support;
using Xunit.Abstractions;

namespace Grounded.Tests.Inpaint;

/// <summary>The classical fill and the mask dilation against OpenCV 4.6's cv2.inpaint(INPAINT_TELEA) and cv2.dilate (tests/fixtures/telea).</summary>
public class TeleaParityTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => [.. Directory.GetDirectories(Fixtures.Path("telea")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dilation_equals_cv2_dilate_with_a_square_kernel(string name)
    {
        var c = Fixtures.Json("telea", name, "case.json");
        var mask = Fixtures.MaskPng("telea", name, "mask.png");

        var dilated = MaskOps.DilateSquare(mask, c.GetProperty("dilate_kernel").GetInt32());

        var expected = Fixtures.MaskPng("telea", name, "mask_dilated.png");
        Assert.Equal(expected.Area(), dilated.Area());
        Assert.Equal(1.0, dilated.IoU(expected)); // exact: every pixel
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fill_equals_cv2_inpaint_telea(string name)
    {
        var c = Fixtures.Json("telea", name, "case.json");
        var image = ImageLoader.Load(Fixtures.Path("telea", name, "image.png"));
        var hole = Fixtures.MaskPng("telea", name, "mask_dilated.png");
        var expected = ImageLoader.Load(Fixtures.Path("telea", name, "inpainted.png"));

        var filled = TeleaInpainter.Fill(image, hole, c.GetProperty("radius").GetInt32());

        long n = 0, within2 = 0;
        double sum = 0;
        int worst = 0;
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            for (int ch = 0; ch < 3; ch++)
            {
                int k = (i * 3) + ch;
                int diff = Math.Abs(filled.Pixels[k] - expected.Pixels[k]);
                if (!hole.Get(i))
                {
                    Assert.Equal(image.Pixels[k], filled.Pixels[k]); // no pixel outside the hole changes
                    continue;
                }

                n++;
                sum += diff;
                within2 += diff <= 2 ? 1 : 0;
                worst = Math.Max(worst, diff);
            }
        }

        double mean = sum / n, share = (double)within2 / n;
        output.WriteLine($"{name}: {n / 3} hole pixels, mean |diff| {mean:0.000} levels, {share:P2} within 2, worst {worst}");
        Assert.True(mean <= 1.0, $"mean difference {mean:0.000} levels");
        Assert.True(share >= 0.95, $"{share:P2} within 2 levels");
    }
}
