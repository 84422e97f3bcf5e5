namespace Grounded.Inpaint.StableDiffusion;

/// <summary>diffusers' DDIMScheduler (eta 0: deterministic).</summary>
public sealed class DdimScheduler(SchedulerConfig config) : IDiffusionScheduler
{
    private readonly float[] _alphasCumprod = NoiseSchedule.AlphasCumprod(config);
    private double[] _timesteps = [];
    private int _stepRatio;

    /// <inheritdoc />
    public IReadOnlyList<double> Timesteps => _timesteps;

    /// <inheritdoc />
    public double InitNoiseSigma => 1.0;

    /// <summary>alphas_cumprod, for tests and for callers that need the schedule.</summary>
    public IReadOnlyList<float> AlphasCumprod => _alphasCumprod;

    /// <inheritdoc />
    public void SetTimesteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        _timesteps = NoiseSchedule.Timesteps(config, steps);
        _stepRatio = config.NumTrainTimesteps / steps;
    }

    /// <summary>The alpha product a step lands on (the previous timestep's, or the final one).</summary>
    public double PreviousAlpha(int index)
    {
        int previous = (int)_timesteps[index] - _stepRatio;
        return previous >= 0 ? _alphasCumprod[previous] : config.SetAlphaToOne ? 1.0 : _alphasCumprod[0];
    }

    /// <inheritdoc />
    public float[] ScaleModelInput(float[] sample, int index) => sample;

    /// <inheritdoc />
    public float[] Step(float[] modelOutput, int index, float[] sample, Func<float> randn)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        double alpha = _alphasCumprod[(int)_timesteps[index]], alphaPrev = PreviousAlpha(index);
        double beta = 1 - alpha;
        var result = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++)
        {
            double x = sample[i], e = modelOutput[i];
            double original, epsilon;
            if (config.PredictionType == "v_prediction")
            {
                original = (Math.Sqrt(alpha) * x) - (Math.Sqrt(beta) * e);
                epsilon = (Math.Sqrt(alpha) * e) + (Math.Sqrt(beta) * x);
            }
            else
            {
                original = (x - (Math.Sqrt(beta) * e)) / Math.Sqrt(alpha);
                epsilon = e;
            }

            if (config.ClipSample)
            {
                original = Math.Clamp(original, -config.ClipSampleRange, config.ClipSampleRange);
            }

            result[i] = (float)((Math.Sqrt(alphaPrev) * original) + (Math.Sqrt(1 - alphaPrev) * epsilon));
        }

        return result;
    }

    /// <inheritdoc />
    public float[] AddNoise(float[] original, float[] noise, int index)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(noise);
        double alpha = _alphasCumprod[(int)_timesteps[index]];
        return [.. original.Select((v, i) => (float)((Math.Sqrt(alpha) * v) + (Math.Sqrt(1 - alpha) * noise[i])))];
    }
}
