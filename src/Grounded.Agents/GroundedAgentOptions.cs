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

    /// <summary>Download missing model sets on first use (default false: a missing model is an error that names the pull command).</summary>
    public bool AllowDownload { get; set; }

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

    /// <summary>
    /// Most mask pixels one segmentation call may produce: width × height × objects (default 400 million, 50 MB of
    /// bit masks). A call that would exceed it keeps the highest-scoring objects that fit and says so; an image whose
    /// one mask does not fit is refused.
    /// </summary>
    public long MaxMaskPixels { get; set; } = 400_000_000;

    /// <summary>Calls that run at once (default 2); more wait in a queue.</summary>
    public int MaxConcurrentCalls { get; set; } = 2;

    /// <summary>Calls that may wait for a slot (default 8); beyond them a call is answered "busy, retry".</summary>
    public int MaxQueuedCalls { get; set; } = 8;

    /// <summary>How long a call waits for a slot before it is answered "busy, retry" (default 30 s).</summary>
    public TimeSpan QueueWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most bytes one call may write (default 64 MiB); a call over it writes nothing.</summary>
    public long MaxOutputBytesPerCall { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most bytes all outputs may hold (default 1 GiB); the oldest call folders are removed past it.</summary>
    public long MaxOutputBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Most call folders kept (default 200); the oldest are removed past it.</summary>
    public int MaxOutputFolders { get; set; } = 200;

    /// <summary>Longest time one call may take, image and model loading included (default 2 minutes).</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(2);
}
