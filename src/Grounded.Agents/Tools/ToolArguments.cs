using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grounded.Agents.Tools;

/// <summary>A tool call's arguments, checked against the tool's schema: unknown, missing, ill-typed or out-of-range ones are an error that names the argument and what is allowed.</summary>
public sealed class ToolArguments
{
    private readonly JsonElement _values;

    private ToolArguments(JsonElement values) => _values = values;

    /// <summary>Checks raw arguments (JSON values, strings, numbers or booleans, as hosts pass them) against a schema.</summary>
    /// <exception cref="InvalidRequestException">An argument is unknown, missing, of the wrong type or out of range.</exception>
    public static ToolArguments Check(JsonElement schema, IEnumerable<KeyValuePair<string, object?>> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var properties = schema.GetProperty("properties");
        var values = new JsonObject();
        foreach (var (name, value) in raw)
        {
            var node = value switch
            {
                null => null,
                JsonElement e => JsonNode.Parse(e.GetRawText()),
                JsonNode n => n.DeepClone(),
                string s => JsonValue.Create(s),
                _ => JsonSerializer.SerializeToNode(value),
            };

            // Hosts that pass every value as text ("0.5", "true") get it read as the schema's type.
            if (node is JsonValue text && text.TryGetValue(out string? s2) && properties.TryGetProperty(name, out var p) && p.TryGetProperty("type", out var t))
            {
                node = t.GetString() switch
                {
                    "number" when double.TryParse(s2, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
                    "integer" when long.TryParse(s2, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) => JsonValue.Create(l),
                    "boolean" when bool.TryParse(s2, out bool b) => JsonValue.Create(b),
                    "array" when s2.TrimStart().StartsWith('[') => TryParse(s2) ?? node,
                    _ => node,
                };
            }

            values[name] = node;
        }

        var element = JsonSerializer.SerializeToElement(values);
        if (JsonSchemaCheck.Problem(schema, element) is { } problem)
        {
            throw new InvalidRequestException(problem);
        }

        return new ToolArguments(element);
    }

    /// <summary>A string argument, or null when absent.</summary>
    public string? String(string name) => Present(name, out var v) ? v.GetString() : null;

    /// <summary>A number argument, or null when absent.</summary>
    public float? Float(string name) => Present(name, out var v) ? (float)v.GetDouble() : null;

    /// <summary>An integer argument, or null when absent.</summary>
    public int? Int(string name) => Present(name, out var v) ? (int)v.GetInt64() : null;

    /// <summary>A boolean argument (false when absent).</summary>
    public bool Bool(string name) => Present(name, out var v) && v.GetBoolean();

    /// <summary>A list of number lists (boxes, points), or null when absent.</summary>
    public IReadOnlyList<double[]>? Lists(string name) =>
        Present(name, out var v) ? [.. v.EnumerateArray().Select(item => item.EnumerateArray().Select(n => n.GetDouble()).ToArray())] : null;

    private bool Present(string name, out JsonElement value) =>
        _values.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
