namespace Grounded.Detector;

/// <summary>How the Grounding DINO detector is opened. What it keeps is each request's <see cref="DetectOptions"/>.</summary>
public sealed record DetectorOptions
{
    /// <summary>Device and threading.</summary>
    public RuntimeOptions Runtime { get; init; } = RuntimeOptions.Default;

    /// <summary>The ONNX file inside the model folder (e.g. model_int8.onnx); default model.onnx.</summary>
    public string? ModelFile { get; init; }

    /// <summary>The defaults.</summary>
    public static DetectorOptions Default { get; } = new();
}
