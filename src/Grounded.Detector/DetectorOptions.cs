using Grounded.Onnx;

namespace Grounded.Detector;

/// <summary>How the Grounding DINO detector runs; per-request values in <see cref="DetectionRequest"/> override these.</summary>
public sealed record DetectorOptions
{
    /// <summary>ONNX Runtime device and threading.</summary>
    public OnnxRuntimeOptions Runtime { get; init; } = OnnxRuntimeOptions.Default;

    /// <summary>A box is kept when its best token probability is strictly above this (default 0.3, Grounded-SAM's demo).</summary>
    public float BoxThreshold { get; init; } = 0.3f;

    /// <summary>Tokens strictly above this form the phrase (default 0.25, Grounded-SAM's demo).</summary>
    public float TextThreshold { get; init; } = 0.25f;

    /// <summary>How the prompt becomes a caption (default <see cref="CaptionMode.Gsa"/>).</summary>
    public CaptionMode CaptionMode { get; init; } = CaptionMode.Gsa;

    /// <summary>Optional non-maximum suppression (default off).</summary>
    public NmsMode Nms { get; init; } = NmsMode.None;

    /// <summary>IoU above which NMS suppresses the weaker box (default 0.5).</summary>
    public float NmsIoU { get; init; } = 0.5f;

    /// <summary>The ONNX file inside the model folder (e.g. model_int8.onnx); default model.onnx.</summary>
    public string? ModelFile { get; init; }

    /// <summary>Receives warnings such as prompt truncation; they are also returned with each result.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>The defaults.</summary>
    public static DetectorOptions Default { get; } = new();
}
