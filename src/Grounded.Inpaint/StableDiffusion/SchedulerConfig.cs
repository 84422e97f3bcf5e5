using Grounded.Onnx.Configs;

namespace Grounded.Inpaint.StableDiffusion;

/// <summary>diffusers' scheduler_config.json: which scheduler and its noise schedule.</summary>
public sealed record SchedulerConfig
{
    /// <summary>e.g. DDIMScheduler, EulerAncestralDiscreteScheduler, PNDMScheduler.</summary>
    public string ClassName { get; init; } = "DDIMScheduler";

    /// <summary>Training steps (1000).</summary>
    public int NumTrainTimesteps { get; init; } = 1000;

    /// <summary>First beta (0.00085 for SD).</summary>
    public double BetaStart { get; init; } = 0.00085;

    /// <summary>Last beta (0.012 for SD).</summary>
    public double BetaEnd { get; init; } = 0.012;

    /// <summary>scaled_linear (SD) or linear.</summary>
    public string BetaSchedule { get; init; } = "scaled_linear";

    /// <summary>epsilon (SD 1.x, SD 2 base) or v_prediction (SD 2 768).</summary>
    public string PredictionType { get; init; } = "epsilon";

    /// <summary>Added to every timestep (1 for SD).</summary>
    public int StepsOffset { get; init; }

    /// <summary>DDIM: the final alpha product is 1 (else alphas_cumprod[0]).</summary>
    public bool SetAlphaToOne { get; init; } = true;

    /// <summary>DDIM: clamp the predicted sample.</summary>
    public bool ClipSample { get; init; }

    /// <summary>Clamp range for <see cref="ClipSample"/>.</summary>
    public double ClipSampleRange { get; init; } = 1.0;

    /// <summary>leading, linspace or trailing.</summary>
    public string TimestepSpacing { get; init; } = "leading";

    /// <summary>Stable Diffusion's inpainting scheduler settings.</summary>
    public static SchedulerConfig StableDiffusion { get; } = new() { StepsOffset = 1, SetAlphaToOne = false };

    /// <summary>Reads scheduler_config.json; unknown keys are ignored, missing ones take diffusers' defaults.</summary>
    public static SchedulerConfig Load(string path)
    {
        var r = ModelConfigFile.Read(path, ModelConfigJsonContext.Default.DiffusersConfig);
        var d = new SchedulerConfig();
        string className = r.ClassName ?? d.ClassName;
        return new SchedulerConfig
        {
            ClassName = className,
            NumTrainTimesteps = r.NumTrainTimesteps ?? d.NumTrainTimesteps,
            BetaStart = r.BetaStart ?? d.BetaStart,
            BetaEnd = r.BetaEnd ?? d.BetaEnd,
            BetaSchedule = r.BetaSchedule ?? d.BetaSchedule,
            PredictionType = r.PredictionType ?? d.PredictionType,
            StepsOffset = r.StepsOffset ?? d.StepsOffset,
            SetAlphaToOne = r.SetAlphaToOne ?? d.SetAlphaToOne,
            ClipSample = r.ClipSample ?? d.ClipSample,
            ClipSampleRange = r.ClipSampleRange ?? d.ClipSampleRange,
            // diffusers' defaults differ by class: DDIM/PNDM "leading", Euler "linspace".
            TimestepSpacing = r.TimestepSpacing ?? (className.StartsWith("Euler", StringComparison.Ordinal) ? "linspace" : "leading"),
        };
    }
}
