using Grounded.Batch.Inputs;
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

    /// <summary>Keep images whose folder this run already made (default auto).</summary>
    public ResumeMode Resume { get; init; } = ResumeMode.Auto;

    /// <summary>What identifies this run's outputs (recorded in each results.json); null resumes on the input alone.</summary>
    public RunIdentity? Identity { get; init; }

    /// <summary>Image limits.</summary>
    public ImageLoadOptions ImageLoad { get; init; } = ImageLoadOptions.Default;

    /// <summary>Run only this shard's images (null: all of them).</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>The prompt's classes, in order: the dataset categories, and recorded in each results.json (null without a text prompt).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>How http(s) images are fetched.</summary>
    public UrlFetchOptions Fetch { get; init; } = UrlFetchOptions.Default;
}
