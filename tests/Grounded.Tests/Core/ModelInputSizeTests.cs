using Grounded.Detector.Processing;
using Grounded.Imaging;
using Grounded.Segmenter.Processing;

namespace Grounded.Tests.Core;

public class ModelInputSizeTests
{
    [Theory]
    [InlineData(1, 5000, "0x1024")]
    [InlineData(5000, 1, "1024x0")]
    public void Sam_refuses_an_image_whose_short_side_rounds_to_nothing(int width, int height, string resized)
    {
        var ex = Assert.Throws<ImageLoadException>(() => SamPreprocessing.Official.ResizedSize(width, height));

        Assert.Contains($"{width}x{height}, too elongated for SAM", ex.Message, StringComparison.Ordinal);
        Assert.Contains(resized, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Input, ex.Kind);
    }

    [Fact]
    public void Sam_keeps_a_thin_image_that_still_rounds_to_a_pixel() =>
        Assert.Equal((1, 1024), SamPreprocessing.Official.ResizedSize(1, 1300));

    [Theory]
    [InlineData(1, 5000)]
    [InlineData(5000, 1)]
    public void Grounding_dino_refuses_an_image_whose_short_side_rounds_to_nothing(int width, int height)
    {
        foreach (var preprocessing in new[] { DinoPreprocessing.HuggingFaceDefaults, DinoPreprocessing.Idea })
        {
            var ex = Assert.Throws<ImageLoadException>(() => preprocessing.ResizedSize(width, height));

            Assert.Contains("too elongated for Grounding DINO", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Grounding_dino_sizes_ordinary_images_as_before() =>
        Assert.Equal((1200, 800), DinoPreprocessing.HuggingFaceDefaults.ResizedSize(450, 300)); // the fixture's cat.png
}
