using System.Text.Json.Serialization;

namespace Grounded.Onnx.Configs;

/// <summary>A diffusers component's config.json or scheduler_config.json: the keys Grounded reads.</summary>
public sealed record DiffusersConfig
{
    /// <summary>The scheduler class (DDIMScheduler, EulerAncestralDiscreteScheduler…).</summary>
    [JsonPropertyName("_class_name")]
    public string? ClassName { get; init; }

    /// <summary>Training timesteps.</summary>
    public int? NumTrainTimesteps { get; init; }

    /// <summary>First beta.</summary>
    public double? BetaStart { get; init; }

    /// <summary>Last beta.</summary>
    public double? BetaEnd { get; init; }

    /// <summary>linear or scaled_linear.</summary>
    public string? BetaSchedule { get; init; }

    /// <summary>epsilon or v_prediction.</summary>
    public string? PredictionType { get; init; }

    /// <summary>Offset added to timesteps.</summary>
    public int? StepsOffset { get; init; }

    /// <summary>DDIM's final alpha.</summary>
    public bool? SetAlphaToOne { get; init; }

    /// <summary>Clip the predicted sample.</summary>
    public bool? ClipSample { get; init; }

    /// <summary>The clip range.</summary>
    public double? ClipSampleRange { get; init; }

    /// <summary>leading, trailing or linspace.</summary>
    public string? TimestepSpacing { get; init; }

    /// <summary>The UNet's latent size.</summary>
    public double? SampleSize { get; init; }

    /// <summary>The VAE's latent scaling factor.</summary>
    public double? ScalingFactor { get; init; }
}
