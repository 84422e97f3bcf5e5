using System.Text.Json.Serialization;

namespace Grounded.Batch.Datasets;

/// <summary>
/// shard-I-of-N.json: what one shard of a run did, written atomically when the shard completes. Its presence
/// says the shard finished; <c>grounded dataset merge</c> and <c>stats</c> read the failures from it.
/// </summary>
public sealed record ShardReport
{
    /// <summary>The run identity.</summary>
    public string? RunId { get; init; }

    /// <summary>The shard's index, from 0.</summary>
    public required int Shard { get; init; }

    /// <summary>The run's shard count.</summary>
    public required int Shards { get; init; }

    /// <summary>The images that belong to the shard.</summary>
    public required int Images { get; init; }

    /// <summary>Images run through the pipeline this time.</summary>
    public required int Processed { get; init; }

    /// <summary>Images whose results were already there.</summary>
    public required int Resumed { get; init; }

    /// <summary>Images that failed, each with its reason.</summary>
    public required IReadOnlyList<ShardFailure> Failed { get; init; }

    /// <summary>The shard report's file name: shard-I-of-N.json.</summary>
    public static string FileName(Inputs.ShardSpec shard) => shard.Tag + ".json";
}

/// <summary>One image a shard could not do.</summary>
/// <param name="Key">The image's key.</param>
/// <param name="Input">Its path or URL.</param>
/// <param name="Error">Why, in one line.</param>
public sealed record ShardFailure(string Key, string Input, string Error);

/// <summary>The source-generated JSON of the batch files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ShardReport))]
internal sealed partial class BatchJsonContext : JsonSerializerContext;
