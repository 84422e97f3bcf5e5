using System.Text.Json.Serialization;

namespace Grounded.Agents;

/// <summary>The compact answer an agent reasons about: counts, labels, scores, boxes, areas and file paths — no mask data.</summary>
public sealed record AgentResult
{
    /// <summary>The input image (its real path).</summary>
    [JsonPropertyName("image")]
    public required string Image { get; init; }

    /// <summary>Image width.</summary>
    [JsonPropertyName("width")]
    public int Width { get; init; }

    /// <summary>Image height.</summary>
    [JsonPropertyName("height")]
    public int Height { get; init; }

    /// <summary>How many objects were found (before the per-call limit).</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The objects, highest score first.</summary>
    [JsonPropertyName("objects")]
    public required IReadOnlyList<AgentObject> Objects { get; init; }

    /// <summary>Files written, by kind (overlay, results, masks, cutouts, inpainted).</summary>
    [JsonPropertyName("files")]
    public IReadOnlyDictionary<string, object>? Files { get; init; }

    /// <summary>Anything the caller should know (a truncated prompt, objects left out by the limit).</summary>
    [JsonPropertyName("notes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Notes { get; init; }
}

/// <summary>One object in an <see cref="AgentResult"/>.</summary>
/// <param name="Label">The user's class it matched.</param>
/// <param name="Score">Detector score.</param>
/// <param name="Box">x0, y0, x1, y1 in pixels.</param>
/// <param name="Area">Mask area in pixels (null when no mask was made).</param>
public sealed record AgentObject(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("box")] int[] Box,
    [property: JsonPropertyName("area")] long? Area);
