using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grounded.Outputs.Json;

/// <summary>The source-generated JSON of every file Grounded writes: snake_case keys, compact and indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ResultJson))]
[JsonSerializable(typeof(IReadOnlyList<GsaMaskJson>))]
[JsonSerializable(typeof(CocoJson))]
public sealed partial class GroundedJsonContext : JsonSerializerContext
{
    /// <summary>The same types, written indented (results.json, mask.json).</summary>
    public static GroundedJsonContext Indented { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
}
