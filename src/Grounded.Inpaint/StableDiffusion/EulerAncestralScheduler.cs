namespace Grounded.Inpaint.StableDiffusion;

/// <summary>diffusers' EulerAncestralDiscreteScheduler: Euler steps in sigma space with fresh noise each step.</summary>
public sealed class EulerAncestralScheduler(SchedulerConfig config) : IDiffusionScheduler
{
    private readonly float[] _alphasCumprod = NoiseSchedule.AlphasCumprod(config);
    private double[] _timesteps = [];
    private double[] _sigmas = [];

    /// <inheritdoc />
    public IReadOnlyList<double> Timesteps => _timesteps;

    /// <summary>The sigmas of the run, one per timestep plus the final 0.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    /// <inheritdoc />
    public double InitNoiseSigma => config.TimestepSpacing is "linspace" or "trailing"
        ? _sigmas.Max()
        : Math.Sqrt((_sigmas.Max() * _sigmas.Max()) + 1);

    /// <inheritdoc />
    public void SetTimesteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        _timesteps = NoiseSchedule.Timesteps(config, steps);
        var trainSigmas = _alphasCumprod.Select(a => Math.Sqrt((1 - (double)a) / a)).ToArray();
        // np.interp over the training sigmas, then a final 0; kept in float32 as diffusers does.
        _sigmas = [.. _timesteps.Select(t => (double)(float)Interpolate(trainSigmas, t)), 0.0];
    }

    /// <inheritdoc />
    public float[] ScaleModelInput(float[] sample, int index)
    {
        ArgumentNullException.ThrowIfNull(sample);
        double scale = Math.Sqrt((_sigmas[index] * _sigmas[index]) + 1);
        return [.. sample.Select(v => (float)(v / scale))];
    }

    /// <inheritdoc />
    public float[] Step(float[] modelOutput, int index, float[] sample, Func<float> randn)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(randn);
        double sigma = _sigmas[index], sigmaTo = _sigmas[index + 1];
        double sigmaUp = Math.Sqrt(sigmaTo * sigmaTo * ((sigma * sigma) - (sigmaTo * sigmaTo)) / (sigma * sigma));
        double sigmaDown = Math.Sqrt((sigmaTo * sigmaTo) - (sigmaUp * sigmaUp));
        double dt = sigmaDown - sigma;
        var result = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            double x = sample[i], e = modelOutput[i];
            double original = config.PredictionType == "v_prediction"
                ? (e * (-sigma / Math.Sqrt((sigma * sigma) + 1))) + (x / ((sigma * sigma) + 1))
                : x - (sigma * e);
            double derivative = (x - original) / sigma;
            result[i] = (float)(x + (derivative * dt) + (randn() * sigmaUp));
        }

        return result;
    }

    /// <inheritdoc />
    public float[] AddNoise(float[] original, float[] noise, int index)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(noise);
        double sigma = _sigmas[index];
        return [.. original.Select((v, i) => (float)(v + (noise[i] * sigma)))];
    }

    /// <summary>np.interp(x, arange(len(values)), values).</summary>
    private static double Interpolate(double[] values, double x)
    {
        if (x <= 0)
        {
            return values[0];
        }

        if (x >= values.Length - 1)
        {
            return values[^1];
        }

        int i = (int)Math.Floor(x);
        double f = x - i;
        return (values[i] * (1 - f)) + (values[i + 1] * f);
    }
}
