using Grounded.Imaging;
using Grounded.Pipeline.Output;

namespace Grounded.Pipeline.Batch;

/// <summary>How a run over many images behaves.</summary>
public sealed record BatchOptions
{
    /// <summary>Where outputs go (one folder per image); null writes nothing.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>What to write.</summary>
    public OutputFormats Formats { get; init; } = OutputFormats.Default;

    /// <summary>Include every candidate mask in the JSON (multimask runs).</summary>
    public bool IncludeCandidates { get; init; }

    /// <summary>Images in flight at once (default 2: one loads and writes while another runs the models).</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>Skip images whose output folder is complete (default true).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Image limits.</summary>
    public ImageLoadOptions ImageLoad { get; init; } = ImageLoadOptions.Default;
}
