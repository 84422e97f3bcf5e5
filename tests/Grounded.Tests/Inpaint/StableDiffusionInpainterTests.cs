using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Inpaint.Masking;
using Grounded.Inpaint.StableDiffusion;
using Grounded.Masks;
using Grounded.Onnx;
using Grounded.Tests.Support;

namespace Grounded.Tests.Inpaint;

/// <summary>The Stable Diffusion inpainting loop through tiny graphs of the diffusers ONNX contract.</summary>
public sealed class StableDiffusionInpainterTests : IDisposable
{
    private static readonly RuntimeOptions Cpu = new() { Device = ExecutionDevice.Cpu };
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-sd-").FullName;

    private (RgbImage Image, BinaryMask Hole) Scene()
    {
        var image = Fixtures.Image("synthetic");
        var hole = new BinaryMask(image.Width, image.Height);
        for (int y = 60; y < 120; y++)
        {
            for (int x = 100; x < 180; x++)
            {
                hole[x, y] = true;
            }
        }

        return (image, hole);
    }

    [Fact]
    public async Task Only_the_masked_region_changes_and_the_same_seed_gives_the_same_image()
    {
        using var sd = StableDiffusionInpainter.Create(TinyStableDiffusion.Create(Path.Combine(_dir, "sd")), Cpu);
        var (image, hole) = Scene();
        var request = new InpaintOptions { Prompt = "a red leather sofa", NegativePrompt = "blurry", Steps = 4, GuidanceScale = 7.5f, Seed = 7 };
        var steps = new List<(int, int)>();

        var first = await sd.InpaintAsync(image, AlphaMask.From(hole), request, new SyncProgress(steps.Add));
        var again = await sd.InpaintAsync(image, AlphaMask.From(hole), request);
        var otherSeed = await sd.InpaintAsync(image, AlphaMask.From(hole), request with { Seed = 8 });

        Assert.Equal(64, sd.Size);
        Assert.Equal([(1, 4), (2, 4), (3, 4), (4, 4)], steps);
        Assert.Equal(first.Pixels, again.Pixels); // determinism by seed
        Assert.NotEqual(first.Pixels, otherSeed.Pixels);
        int changedInside = 0;
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            bool same = first.Pixels[i * 3] == image.Pixels[i * 3] && first.Pixels[(i * 3) + 1] == image.Pixels[(i * 3) + 1] && first.Pixels[(i * 3) + 2] == image.Pixels[(i * 3) + 2];
            if (!hole.Get(i))
            {
                Assert.True(same, $"pixel {i} outside the mask changed");
            }
            else if (!same)
            {
                changedInside++;
            }
        }

        Assert.True(changedInside > 1000);
    }

    [Fact]
    public async Task Guidance_mixes_the_negative_and_positive_predictions()
    {
        Assert.Equal([1f + (7.5f * (3f - 1f)), 2f + (7.5f * (2f - 2f))], StableDiffusionInpainter.Guide([1f, 2f, 3f, 2f], 7.5f));

        using var sd = StableDiffusionInpainter.Create(TinyStableDiffusion.Create(Path.Combine(_dir, "sd")), Cpu);
        var (image, hole) = Scene();
        var request = new InpaintOptions { Prompt = "a red leather sofa", NegativePrompt = "zzz zzz zzz", Steps = 3, Seed = 1 };

        var unguided = await sd.InpaintAsync(image, AlphaMask.From(hole), request with { GuidanceScale = 1f });
        var guided = await sd.InpaintAsync(image, AlphaMask.From(hole), request with { GuidanceScale = 7.5f });

        // The tiny UNet's prediction depends on the prompt embedding, so guidance changes the result.
        Assert.NotEqual(unguided.Pixels, guided.Pixels);
    }

    [Fact]
    public async Task Euler_ancestral_integer_timesteps_and_partial_strength_run()
    {
        using var sd = StableDiffusionInpainter.Create(TinyStableDiffusion.Create(Path.Combine(_dir, "sd-int"), integerTimestep: true), Cpu);
        var (image, hole) = Scene();
        var steps = new List<(int, int)>();

        var result = await sd.InpaintAsync(image, MaskOps.Feather(hole, 4), new InpaintOptions { Prompt = "a cat", Steps = 10, Strength = 0.5f, Seed = 3 }, new SyncProgress(steps.Add));

        Assert.Equal(5, steps.Count); // strength 0.5 of 10 steps
        Assert.Equal((image.Width, image.Height), (result.Width, result.Height));
        var first = await sd.InpaintAsync(image, AlphaMask.From(hole), new InpaintOptions { Prompt = "a dog", Steps = 3, Seed = 5, Scheduler = SchedulerKind.EulerAncestral });
        var second = await sd.InpaintAsync(image, AlphaMask.From(hole), new InpaintOptions { Prompt = "a dog", Steps = 3, Seed = 5, Scheduler = SchedulerKind.EulerAncestral });
        Assert.Equal(first.Pixels, second.Pixels); // ancestral noise comes from the seed too
    }

    [Fact]
    public void A_unet_without_nine_channels_is_rejected_by_name()
    {
        string folder = TinyStableDiffusion.Create(Path.Combine(_dir, "sd4"), unetChannels: 4);

        var ex = Assert.Throws<ModelContractException>(() => StableDiffusionInpainter.Create(folder, Cpu));

        Assert.Equal("sample", ex.TensorName);
        Assert.Contains("9 channels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latent_mask_is_nearest_downsampled_as_torch_interpolate()
    {
        var mask = new float[16 * 16];
        mask[(8 * 16) + 8] = 1f; // picked by output (2, 2): floor(2 · 4) = 8
        mask[(9 * 16) + 9] = 1f; // skipped

        float[] small = StableDiffusionInpainter.DownsampleNearest(mask, 16, 4);

        Assert.Equal(1f, small[(2 * 4) + 2]);
        Assert.Equal(1f, small.Sum());
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private sealed class SyncProgress(Action<(int, int)> report) : IProgress<(int Step, int Total)>
    {
        public void Report((int Step, int Total) value) => report(value);
    }
}
