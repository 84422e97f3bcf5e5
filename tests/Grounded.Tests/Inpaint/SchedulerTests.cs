using Grounded.Inpaint.StableDiffusion;

namespace Grounded.Tests.Inpaint;

/// <summary>
/// Schedules from diffusers' formulas (scaled_linear, beta 0.00085–0.012, 1000 training steps, steps_offset 1). The
/// expected numbers were computed independently from those formulas in float32 and are written here.
/// </summary>
public class SchedulerTests
{
    private static readonly SchedulerConfig Sd = SchedulerConfig.StableDiffusion;

    [Fact]
    public void Alphas_cumprod_follow_the_scaled_linear_schedule()
    {
        var ddim = new DdimScheduler(Sd);

        Assert.Equal(0.99914998f, ddim.AlphasCumprod[0], 1e-7f);
        Assert.Equal(0.99829602f, ddim.AlphasCumprod[1], 1e-7f);
        Assert.Equal(0.98038071f, ddim.AlphasCumprod[21], 1e-7f);
        Assert.Equal(0.27499893f, ddim.AlphasCumprod[501], 1e-6f);
        Assert.Equal(0.00815499f, ddim.AlphasCumprod[951], 1e-7f);
        Assert.Equal(0.00577549f, ddim.AlphasCumprod[981], 1e-7f);
        Assert.Equal(0.00466009f, ddim.AlphasCumprod[999], 1e-7f);
    }

    [Theory]
    [InlineData(50, new double[] { 981, 961, 941 }, new double[] { 21, 1 })]
    [InlineData(20, new double[] { 951, 901, 851 }, new double[] { 51, 1 })]
    public void Ddim_leading_timesteps(int steps, double[] first, double[] last)
    {
        var ddim = new DdimScheduler(Sd);
        ddim.SetTimesteps(steps);

        Assert.Equal(steps, ddim.Timesteps.Count);
        Assert.Equal(first, ddim.Timesteps.Take(3));
        Assert.Equal(last, ddim.Timesteps.TakeLast(2));
        Assert.Equal(0.99914998, ddim.PreviousAlpha(steps - 1), 1e-7); // alphas_cumprod[0]: set_alpha_to_one is false for SD
    }

    [Fact]
    public void Ddim_step_is_the_eta_zero_update()
    {
        var ddim = new DdimScheduler(Sd);
        ddim.SetTimesteps(50);

        float[] next = ddim.Step([0.1f], 0, [0.5f], () => throw new InvalidOperationException("DDIM with eta 0 draws no noise"));

        // t = 981 -> 961: sqrt(a961)·(x − sqrt(1 − a981)·ε)/sqrt(a981) + sqrt(1 − a961)·ε, a961 = 0.0072817132.
        Assert.Equal(0.5491006f, next[0], 1e-5f);
        Assert.Equal(0.0072817132, ddim.PreviousAlpha(0), 1e-9);
    }

    [Theory]
    [InlineData(20, 946.421052631579, 14.6146555, 10.7468548, 1.48058236, 0.02916753)]
    [InlineData(50, 978.6122448979592, 14.6146555, 12.9367857, 1.56165910, 0.02916753)]
    public void Euler_ancestral_linspace_timesteps_and_sigmas(int steps, double second, double sigma0, double sigma1, double sigmaMid, double sigmaLast)
    {
        var euler = new EulerAncestralScheduler(Sd with { ClassName = "EulerAncestralDiscreteScheduler", TimestepSpacing = "linspace" });
        euler.SetTimesteps(steps);

        Assert.Equal(999, euler.Timesteps[0], 1e-9);
        Assert.Equal(second, euler.Timesteps[1], 1e-6);
        Assert.Equal(0, euler.Timesteps[^1], 1e-9);
        Assert.Equal(steps + 1, euler.Sigmas.Count);
        Assert.Equal(sigma0, euler.Sigmas[0], 1e-5);
        Assert.Equal(sigma1, euler.Sigmas[1], 1e-5);
        Assert.Equal(sigmaMid, euler.Sigmas[steps / 2], 1e-5);
        Assert.Equal(sigmaLast, euler.Sigmas[steps - 1], 1e-6);
        Assert.Equal(0, euler.Sigmas[^1]);
        Assert.Equal(sigma0, euler.InitNoiseSigma, 1e-5);
    }

    [Fact]
    public void Euler_ancestral_step_splits_sigma_into_down_and_up()
    {
        var euler = new EulerAncestralScheduler(Sd with { ClassName = "EulerAncestralDiscreteScheduler", TimestepSpacing = "linspace" });
        euler.SetTimesteps(20);

        float deterministic = euler.Step([0.1f], 0, [0.5f], () => 0f)[0];
        float noisy = euler.Step([0.1f], 0, [0.5f], () => 1f)[0];

        // σ 14.6147 -> 10.7469: σ_up = 7.28303503, σ_down = 7.90267603.
        Assert.Equal(-0.17119795f, deterministic, 1e-4f);
        Assert.Equal(7.28303503f, noisy - deterministic, 1e-4f);
        Assert.Equal(0.5f / MathF.Sqrt((14.6146555f * 14.6146555f) + 1), euler.ScaleModelInput([0.5f], 0)[0], 1e-6f);
    }

    [Fact]
    public void Configs_choose_the_scheduler_and_its_default_spacing()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"_class_name": "EulerAncestralDiscreteScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": 1000, "steps_offset": 1}""");
            var config = SchedulerConfig.Load(path);

            Assert.Equal("linspace", config.TimestepSpacing);
            Assert.IsType<EulerAncestralScheduler>(Schedulers.Create(config));
            Assert.IsType<DdimScheduler>(Schedulers.Create(config with { ClassName = "PNDMScheduler" }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
