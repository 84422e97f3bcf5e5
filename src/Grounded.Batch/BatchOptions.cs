using Grounded.Imaging;
using Grounded.Outputs;

namespace Grounded.Batch;

/// <summary>How a run over many images behaves.</summary>
public sealed record BatchOptions
{
    /// <summary>What to write, where (null folder: nothing), and how many images are in flight.</summary>
    public OutputOptions Output { get; init; } = OutputOptions.Default;

    /// <summary>Include every candidate mask in the JSON (multimask runs).</summary>
    public bool IncludeCandidates { get; init; }

    /// <summary>Skip images whose output folder is complete (default true).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Image limits.</summary>
    public ImageLoadOptions ImageLoad { get; init; } = ImageLoadOptions.Default;
}
