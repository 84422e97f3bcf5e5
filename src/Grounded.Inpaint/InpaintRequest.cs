namespace Grounded.Inpaint;

/// <summary>What to paint into the masked region (generative inpainters), and how.</summary>
public sealed record InpaintRequest
{
    /// <summary>What should be there instead ("a red leather sofa"); empty for plain removal.</summary>
    public string Prompt { get; init; } = string.Empty;

    /// <summary>What should not appear.</summary>
    public string NegativePrompt { get; init; } = string.Empty;

    /// <summary>Denoising steps (default 30).</summary>
    public int Steps { get; init; } = 30;

    /// <summary>Classifier-free guidance scale (default 7.5; 1 disables guidance).</summary>
    public float GuidanceScale { get; init; } = 7.5f;

    /// <summary>How much of the masked region to re-noise, 0..1 (default 1: paint from noise).</summary>
    public float Strength { get; init; } = 1f;

    /// <summary>Random seed: the same seed gives the same image.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Receives (step, total) while denoising.</summary>
    public IProgress<(int Step, int Total)>? Progress { get; init; }

    /// <summary>Plain removal.</summary>
    public static InpaintRequest Remove { get; } = new();
}
