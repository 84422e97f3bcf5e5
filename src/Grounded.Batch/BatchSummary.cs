namespace Grounded.Batch;

/// <summary>What a batch run did.</summary>
/// <param name="Processed">Images run through the pipeline.</param>
/// <param name="Resumed">Images skipped because their outputs were complete.</param>
/// <param name="Failures">Images that failed, each with its one-line reason.</param>
public sealed record BatchSummary(int Processed, int Resumed, IReadOnlyList<(string Path, string Error)> Failures)
{
    /// <summary>The COCO file written (coco.json, or coco.&lt;run id&gt;.json when another run's is there), or null.</summary>
    public string? Dataset { get; init; }

    /// <summary>The images the run had (its shard's, with a shard).</summary>
    public int Total { get; init; }
}

/// <summary>Progress of a batch run.</summary>
/// <param name="Done">Images finished (processed, resumed or failed).</param>
/// <param name="Total">Images in the run.</param>
/// <param name="Current">The image that just finished.</param>
public sealed record BatchProgress(int Done, int Total, string Current);
