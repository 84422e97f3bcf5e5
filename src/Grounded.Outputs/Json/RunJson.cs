namespace Grounded.Outputs.Json;

/// <summary>
/// What produced a results.json: the run's identity (a hash of every setting that changes outputs), the input's
/// full path and content hash. A resumed run skips an image only when all three match.
/// </summary>
public sealed record RunJson
{
    /// <summary>The run identity: the first 16 hex digits of the SHA-256 of <see cref="Settings"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The input's full path, or its URL.</summary>
    public required string Input { get; init; }

    /// <summary>The image's key: its manifest id, else its path relative to the input root (what picks its shard and folder).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>The prompt's classes, in order (absent without a text prompt): the categories of datasets made from the run.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>SHA-256 of the input file's bytes.</summary>
    public required string InputSha256 { get; init; }

    /// <summary>The settings the identity hashes (command, steps, models, formats), for people reading the file.</summary>
    public required SortedDictionary<string, string> Settings { get; init; }
}
