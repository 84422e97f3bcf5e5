using Grounded.Detector;
using Grounded.Inpaint;

namespace Grounded.Agents;

/// <summary>
/// What an agent may touch and use. File access is deny-by-default: only <see cref="AllowedReadFolders"/> are read,
/// only <see cref="OutputFolder"/> is written. Stage settings are the same records every front end binds to.
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

    /// <summary>The LaMa model for removal: a set name, a folder or a .onnx file (default: the "lama" set when installed, else the classical fill).</summary>
    public string? LamaModel { get; set; }

    /// <summary>The Stable Diffusion inpainting model for replace_objects: a set name or a folder (default: "sd-inpainting").</summary>
    public string? StableDiffusionModel { get; set; }

    /// <summary>Where model sets are cached (default GROUNDED_MODELS_DIR or the per-user cache).</summary>
    public string? ModelsFolder { get; set; }

    /// <summary>Download missing model sets on first use (default true).</summary>
    public bool AllowDownload { get; set; } = true;

    /// <summary>Device and threads.</summary>
    public RuntimeOptions Runtime { get; set; } = RuntimeOptions.Default;

    /// <summary>Detection defaults; a call's box_threshold and text_threshold override them.</summary>
    public DetectOptions Detect { get; set; } = DetectOptions.Default;

    /// <summary>How remove_objects edits (the inpainter: null picks LaMa when available, else classical).</summary>
    public InpaintOptions Remove { get; set; } = InpaintOptions.Default;

    /// <summary>How replace_objects paints (steps, guidance, negative prompt…); the call's replacement is the prompt.</summary>
    public InpaintOptions Replace { get; set; } = new() { Inpainter = InpainterKind.StableDiffusion, NegativePrompt = "blurry, low quality" };

    /// <summary>Largest input file in bytes (default 64 MiB).</summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest input in pixels (default 40 megapixels).</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Most objects returned by one call (default 50; the highest scores are kept).</summary>
    public int MaxObjects { get; set; } = 50;

    /// <summary>Longest time one call may take (default 2 minutes).</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(2);
}
