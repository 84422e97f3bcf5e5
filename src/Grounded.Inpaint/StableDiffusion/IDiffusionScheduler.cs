namespace Grounded.Inpaint.StableDiffusion;

/// <summary>A denoising schedule: which timesteps to visit and how to take one step (diffusers' scheduler API).</summary>
public interface IDiffusionScheduler
{
    /// <summary>The model timesteps, first to last, after <see cref="SetTimesteps"/>.</summary>
    IReadOnlyList<double> Timesteps { get; }

    /// <summary>The standard deviation of the starting noise.</summary>
    double InitNoiseSigma { get; }

    /// <summary>Chooses the timesteps for an inference run.</summary>
    void SetTimesteps(int steps);

    /// <summary>Scales the latents before the UNet at step <paramref name="index"/> (identity for DDIM).</summary>
    float[] ScaleModelInput(float[] sample, int index);

    /// <summary>One denoising step from the model's output; <paramref name="randn"/> draws N(0, 1) for stochastic schedulers.</summary>
    float[] Step(float[] modelOutput, int index, float[] sample, Func<float> randn);

    /// <summary>Noises clean latents to the level of step <paramref name="index"/> (strength &lt; 1 starts there).</summary>
    float[] AddNoise(float[] original, float[] noise, int index);
}
