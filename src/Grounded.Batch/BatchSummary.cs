namespace Grounded.Batch;

/// <summary>What a batch run did.</summary>
/// <param name="Processed">Images run through the pipeline.</param>
/// <param name="Resumed">Images skipped because their outputs were complete.</param>
/// <param name="Failures">Images that failed, each with its one-line reason.</param>
public sealed record BatchSummary(int Processed, int Resumed, IReadOnlyList<(string Path, string Error)> Failures);

/// <summary>Progress of a batch run.</summary>
/// <param name="Done">Images finished (processed, resumed or failed).</param>
/// <param name="Total">Images in the run.</param>
/// <param name="Current">The image that just finished.</param>
public sealed record BatchProgress(int Done, int Total, string Current);
