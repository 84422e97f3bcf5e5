namespace Grounded.Settings;

/// <summary>Which model each stage uses: a set name from the model manifest, or a folder (null: the stage's default set).</summary>
public sealed record ModelChoices
{
    /// <summary>The detector (Grounding DINO).</summary>
    public string? Detector { get; init; }

    /// <summary>The segmenter (a SAM-family model).</summary>
    public string? Segmenter { get; init; }

    /// <summary>The inpainting model (LaMa or Stable Diffusion; a .onnx file for LaMa).</summary>
    public string? Inpainter { get; init; }

    /// <summary>No choice: every stage's default.</summary>
    public static ModelChoices Default { get; } = new();
}
