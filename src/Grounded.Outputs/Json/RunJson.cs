namespace Grounded.Outputs.Json;

/// <summary>
/// What produced a results.json: the run's identity (a hash of every setting that changes outputs), the input's
/// full path and content hash. A resumed run skips an image only when all three match.
/// </summary>
public sealed record RunJson
{
    /// <summary>The run identity: the first 16 hex digits of the SHA-256 of <see cref="Settings"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The input's full path.</summary>
    public required string Input { get; init; }

    /// <summary>SHA-256 of the input file's bytes.</summary>
    public required string InputSha256 { get; init; }

    /// <summary>The settings the identity hashes (command, steps, models, formats), for people reading the file.</summary>
    public required SortedDictionary<string, string> Settings { get; init; }
}
