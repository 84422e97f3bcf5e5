using Grounded.Geometry;
using Grounded.Segmenter;
using Grounded.Tests.Support;

namespace Grounded.Tests.Segmenter;

/// <summary>A hover preview is the full decode's own low-resolution logits, thresholded and cropped to the image, in either layout.</summary>
public class PreviewTests
{
    [Theory]
    [InlineData("sam", "cat")]
    [InlineData("sam", "astronaut")]
    [InlineData("sam-official", "cat")]
    [InlineData("sam-official", "synthetic")]
    public async Task A_preview_is_the_low_resolution_part_of_the_full_decode(string model, string image)
    {
        using var segmenter = SamSegmenter.Create(Fixtures.Path(model));
        var rgb = Fixtures.Image(image);
        var embedding = await segmenter.EncodeAsync(rgb);
        var prompts = new[]
        {
            SamPrompt.FromPoints(new PromptPoint(rgb.Width / 2f, rgb.Height / 2f)),
            new SamPrompt { Points = [new PromptPoint(40, 50), new PromptPoint(rgb.Width - 30, rgb.Height - 20, false)] },
            new SamPrompt { Points = [new PromptPoint(100, 120)], Box = new BoxXyxy(60, 40, rgb.Width - 60, rgb.Height - 50) },
        };
        foreach (bool multimask in new[] { true, false })
        {
            foreach (var prompt in model == "sam" ? prompts.Take(2) : prompts)
            {
                var options = new SegmentOptions { Multimask = multimask };
                var full = (await segmenter.SegmentAsync(embedding, new SegmentationRequest { Prompts = [prompt], Options = options })).Objects[0];
                var preview = await segmenter.PreviewAsync(embedding, prompt, options);

                Assert.Equal(full.BestIndex, preview.BestIndex);
                Assert.Equal(full.Candidates.Count, preview.Candidates.Count);
                int longest = Math.Max(rgb.Width, rgb.Height);
                int w = (int)Math.Ceiling(rgb.Width * 256.0 / longest), h = (int)Math.Ceiling(rgb.Height * 256.0 / longest);
                for (int c = 0; c < full.Candidates.Count; c++)
                {
                    var mask = preview.Candidates[c].Mask;
                    Assert.Equal((w, h), (mask.Width, mask.Height));
                    Assert.Equal(full.Candidates[c].PredictedIou, preview.Candidates[c].PredictedIou);
                    var logits = full.Candidates[c].LowResLogits;
                    for (int y = 0; y < h; y++)
                    {
                        for (int x = 0; x < w; x++)
                        {
                            Assert.Equal(logits[(y * 256) + x] > options.MaskThreshold, mask[x, y]);
                        }
                    }
                }
            }
        }
    }
}
