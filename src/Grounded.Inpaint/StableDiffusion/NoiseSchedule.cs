namespace Grounded.Inpaint.StableDiffusion;

/// <summary>The training noise schedule shared by the schedulers: betas, and the cumulative alpha products.</summary>
internal static class NoiseSchedule
{
    /// <summary>alphas_cumprod in float32, as diffusers computes it (torch.cumprod over float32 alphas).</summary>
    public static float[] AlphasCumprod(SchedulerConfig config)
    {
        int n = config.NumTrainTimesteps;
        var betas = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = n == 1 ? 0 : (double)i / (n - 1);
            betas[i] = config.BetaSchedule switch
            {
                // torch.linspace(beta_start**0.5, beta_end**0.5, n, dtype=float32) ** 2
                "scaled_linear" => Square((float)(Math.Sqrt(config.BetaStart) + ((Math.Sqrt(config.BetaEnd) - Math.Sqrt(config.BetaStart)) * t))),
                "linear" => (float)(config.BetaStart + ((config.BetaEnd - config.BetaStart) * t)),
                _ => throw new NotSupportedException($"beta_schedule '{config.BetaSchedule}' is not supported (scaled_linear, linear)."),
            };
        }

        var cumprod = new float[n];
        float product = 1f;
        for (int i = 0; i < n; i++)
        {
            product *= 1f - betas[i];
            cumprod[i] = product;
        }

        return cumprod;
    }

    private static float Square(float x) => x * x;

    /// <summary>The timesteps of an inference run, by the config's spacing (largest first).</summary>
    public static double[] Timesteps(SchedulerConfig config, int steps)
    {
        int n = config.NumTrainTimesteps;
        switch (config.TimestepSpacing)
        {
            case "linspace":
                return [.. Enumerable.Range(0, steps).Select(i => steps == 1 ? 0 : (n - 1) * (double)i / (steps - 1)).Reverse()];
            case "trailing":
                double ratio = (double)n / steps;
                return [.. Enumerable.Range(0, steps).Select(i => Math.Round(n - (i * ratio), MidpointRounding.ToEven) - 1)];
            default:
                int stepRatio = n / steps;
                return [.. Enumerable.Range(0, steps).Select(i => (double)((i * stepRatio) + config.StepsOffset)).Reverse()];
        }
    }
}
