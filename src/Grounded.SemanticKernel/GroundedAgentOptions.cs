using Grounded.Onnx;

namespace Grounded.SemanticKernel;

/// <summary>
/// What an agent may touch and use. File access is deny-by-default: only <see cref="AllowedReadFolders"/> are read,
/// only <see cref="OutputFolder"/> is written.
/// </summary>
public sealed class GroundedAgentOptions
{
    /// <summary>Folders whose images may be read (symlinks resolved; nothing outside is readable).</summary>
    public IList<string> AllowedReadFolders { get; } = [];

    /// <summary>The one folder outputs are written to (under generated names).</summary>
    public string? OutputFolder { get; set; }

    /// <summary>Detector: a model folder or a set name (default: the manifest's default).</summary>
    public string? Detector { get; set; }

    /// <summary>Segmenter: a model folder or a set name (default: the manifest's default).</summary>
    public string? Segmenter { get; set; }

    /// <summary>How remove_objects fills: classical (no model) or lama (default: lama when installed, else classical).</summary>
    public string? RemoveInpainter { get; set; }

    /// <summary>The LaMa model for removal: a set name, a folder or a .onnx file (default: the "lama" set).</summary>
    public string? LamaModel { get; set; }

    /// <summary>The Stable Diffusion inpainting model for replace_objects: a set name or a folder (default: "sd-inpainting").</summary>
    public string? StableDiffusionModel { get; set; }

    /// <summary>Denoising steps for replace_objects (default 30).</summary>
    public int ReplaceSteps { get; set; } = 30;

    /// <summary>Where model sets are cached (default GROUNDED_MODELS_DIR or the per-user cache).</summary>
    public string? ModelsFolder { get; set; }

    /// <summary>Download missing model sets on first use (default true).</summary>
    public bool AllowDownload { get; set; } = true;

    /// <summary>ONNX Runtime device and threads.</summary>
    public OnnxRuntimeOptions Runtime { get; set; } = OnnxRuntimeOptions.Default;

    /// <summary>Default box threshold (0.3, Grounded-SAM's demo).</summary>
    public float BoxThreshold { get; set; } = 0.3f;

    /// <summary>Default text threshold (0.25, Grounded-SAM's demo).</summary>
    public float TextThreshold { get; set; } = 0.25f;

    /// <summary>Largest input file in bytes (default 64 MiB).</summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest input in pixels (default 40 megapixels).</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Most objects returned by one call (default 50; the highest scores are kept).</summary>
    public int MaxObjects { get; set; } = 50;

    /// <summary>Longest time one call may take (default 2 minutes).</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(2);
}
