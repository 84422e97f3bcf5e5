using Grounded.Imaging;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>`grounded inpaint IMAGE --mask MASK.png`: a mask from anywhere; with the classical fill it is cv2.inpaint.</summary>
public sealed class CliInpaintTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-inpaint-").FullName;

    [Theory]
    [InlineData("cat__ellipse", "mask_dilated.png", "0")]
    [InlineData("astronaut__rect_hole", "mask.png", "9")] // --dilate 9 is cv2.dilate with a 9x9 kernel, as the fixture made mask_dilated.png
    public async Task The_classical_fill_of_a_mask_file_equals_opencv(string name, string mask, string dilate)
    {
        var c = Fixtures.Json("telea", name, "case.json");

        var (code, stdout, stderr) = await CliRunner.RunAsync("inpaint", Fixtures.Path("telea", name, "image.png"), "--mask", Fixtures.Path("telea", name, mask),
            "--radius", c.GetProperty("radius").GetRawText(), "--dilate", dilate, "--out", _dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("inpainted.png", stdout, StringComparison.Ordinal);
        var written = ImageLoader.Load(Path.Combine(_dir, "image", "inpainted.png"));
        var expected = ImageLoader.Load(Fixtures.Path("telea", name, "inpainted.png"));
        Assert.Equal(expected.Pixels, written.Pixels); // every value, as OpenCV 4.6 wrote it
    }

    [Fact]
    public async Task A_mask_of_another_size_is_a_usage_error_and_writes_nothing()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("inpaint", Fixtures.Path("images", "cat.png"), "--mask", Fixtures.Path("telea", "synthetic__ellipse", "mask.png"), "--out", _dir);

        Assert.Equal(2, code);
        Assert.Contains("is 320x200; the image is 450x300", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task A_missing_mask_is_an_input_error()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("inpaint", Fixtures.Path("images", "cat.png"), "--mask", Path.Combine(_dir, "none.png"), "--out", _dir);

        Assert.Equal(3, code);
        Assert.Contains("none.png", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
