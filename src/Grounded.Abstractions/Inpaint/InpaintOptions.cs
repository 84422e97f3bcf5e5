using Grounded.Masks;
using Grounded.Settings;

namespace Grounded.Inpaint;

/// <summary>
/// How masks become an edit: the mask operations (grow, soften, combine), which inpainter, and what generative
/// inpainters paint. Defaults follow the removal pipelines (dilate kernel 15, feather 4, merge) and diffusers' inpainting
/// pipeline (30 steps, guidance 7.5, strength 1). Validated when built.
/// </summary>
public sealed record InpaintOptions
{
    private readonly int _dilate = 15;
    private readonly int _feather = 4;
    private readonly int _steps = 30;
    private readonly int _radius = 5;
    private readonly float _guidanceScale = 7.5f;
    private readonly float _strength = 1f;
    private readonly MaskCombineMode _combine = MaskCombineMode.Merge;
    private readonly InpainterKind? _inpainter;
    private readonly SchedulerKind? _scheduler;
    private readonly string _prompt = string.Empty;
    private readonly string _negativePrompt = string.Empty;

    /// <summary>Which inpainter (default: LaMa when installed, else classical, for removal; sd for replacement).</summary>
    public InpainterKind? Inpainter
    {
        get => _inpainter;
        init => _inpainter = value is { } v ? Check.Defined(v, "inpainter") : null;
    }

    /// <summary>
    /// Grow each mask first, to cover edges and shadows: cv2.dilate with a K×K square kernel, as the removal
    /// pipelines do (0..1024, default 15, Inpaint-Anything's dilate_kernel_size; 0 or 1 keeps the mask).
    /// </summary>
    public int Dilate
    {
        get => _dilate;
        init => _dilate = Check.Range(value, "dilate", 0, 1024);
    }

    /// <summary>Blend over this many pixels outside the mask (0..1024, default 4; 0 gives a hard edge).</summary>
    public int Feather
    {
        get => _feather;
        init => _feather = Check.Range(value, "feather", 0, 1024);
    }

    /// <summary>The classical fill's neighbourhood radius in pixels (1..100, default 5; cv2.inpaint's inpaintRadius).</summary>
    public int Radius
    {
        get => _radius;
        init => _radius = Check.Range(value, "radius", 1, 100);
    }

    /// <summary>How objects' masks become edits (default merge: one edit of their union).</summary>
    public MaskCombineMode Combine
    {
        get => _combine;
        init => _combine = Check.Defined(value, "combine");
    }

    /// <summary>What should be there instead ("a red leather sofa"); empty for plain removal.</summary>
    public string Prompt
    {
        get => _prompt;
        init => _prompt = value ?? string.Empty;
    }

    /// <summary>What should not appear.</summary>
    public string NegativePrompt
    {
        get => _negativePrompt;
        init => _negativePrompt = value ?? string.Empty;
    }

    /// <summary>Denoising steps (1..1000, default 30).</summary>
    public int Steps
    {
        get => _steps;
        init => _steps = Check.Range(value, "steps", 1, 1000);
    }

    /// <summary>Classifier-free guidance scale (0..100, default 7.5; 1 or less disables guidance).</summary>
    [SettingName("guidance")]
    public float GuidanceScale
    {
        get => _guidanceScale;
        init => _guidanceScale = Check.Finite(value, "guidance", 0f, 100f);
    }

    /// <summary>How much of the masked region to re-noise (0..1, default 1: paint from noise).</summary>
    public float Strength
    {
        get => _strength;
        init => _strength = Check.Probability(value, "strength");
    }

    /// <summary>Random seed: the same seed gives the same image (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The noise scheduler (default: the model's scheduler_config.json).</summary>
    public SchedulerKind? Scheduler
    {
        get => _scheduler;
        init => _scheduler = value is { } v ? Check.Defined(v, "scheduler") : null;
    }

    /// <summary>The defaults: plain removal.</summary>
    public static InpaintOptions Default { get; } = new();
}
