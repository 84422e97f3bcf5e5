using System.Globalization;
using System.Text.Json;

namespace Grounded.Agents.Tools;

/// <summary>
/// Checks a JSON value against the part of JSON Schema the tools use (type, properties, required,
/// additionalProperties: false, items, minItems, maxItems, minimum, maximum, maxLength, enum), and says in one
/// line what is wrong and what is allowed. It checks a tool's arguments and, in tests, its results.
/// </summary>
public static class JsonSchemaCheck
{
    /// <summary>The first problem, or null when the value fits the schema.</summary>
    public static string? Problem(JsonElement schema, JsonElement value, string where = "the value")
    {
        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            return $"{where} must be {Describe(schema)}, not {Shown(value)}.";
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            return $"{where} must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}, not {Shown(value)}.";
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                double number = value.GetDouble();
                if ((schema.TryGetProperty("minimum", out var min) && number < min.GetDouble()) || (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble()))
                {
                    return $"{where} must be {Describe(schema)}, not {value.GetRawText()}.";
                }

                break;
            case JsonValueKind.String:
                int length = value.GetString()!.Length;
                if (schema.TryGetProperty("maxLength", out var maxLength) && length > maxLength.GetInt32())
                {
                    return $"{where} is {length} characters long; at most {maxLength.GetInt32()} are allowed.";
                }

                if (schema.TryGetProperty("minLength", out var minLength) && length < minLength.GetInt32())
                {
                    return $"{where} must not be empty.";
                }

                break;
            case JsonValueKind.Array:
                int count = value.GetArrayLength();
                if ((schema.TryGetProperty("minItems", out var minItems) && count < minItems.GetInt32()) || (schema.TryGetProperty("maxItems", out var maxItems) && count > maxItems.GetInt32()))
                {
                    return $"{where} must have {Describe(schema)}, not {count} items.";
                }

                if (schema.TryGetProperty("items", out var items))
                {
                    int i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (Problem(items, item, $"{where}[{i++}]") is { } problem)
                        {
                            return problem;
                        }
                    }
                }

                break;
            case JsonValueKind.Object:
                return ObjectProblem(schema, value, where);
        }

        return null;
    }

    private static string? ObjectProblem(JsonElement schema, JsonElement value, string where)
    {
        bool hasProperties = schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (!value.TryGetProperty(name, out var present) || present.ValueKind == JsonValueKind.Null)
                {
                    return $"'{name}' is missing{(hasProperties && properties.TryGetProperty(name, out var p) ? $": give {Describe(p)}" : string.Empty)}.";
                }
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                if (property.Value.ValueKind != JsonValueKind.Null && Problem(propertySchema, property.Value, $"'{property.Name}'") is { } problem)
                {
                    return problem;
                }
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False)
            {
                string allowed = hasProperties ? string.Join(", ", properties.EnumerateObject().Select(p => p.Name)) : "none";
                return $"Unknown argument '{Truncate(property.Name, 40)}'{(where == "the value" ? string.Empty : $" in {where}")}; allowed: {allowed}.";
            }
        }

        return null;
    }

    /// <summary>What a schema asks for, in words: "a number from 0 to 1", "a string of at most 2000 characters".</summary>
    public static string Describe(JsonElement schema)
    {
        string type = schema.TryGetProperty("type", out var t) ? (t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().First(x => x.GetString() != "null").GetString()! : t.GetString()!) : "a value";
        string range = (schema.TryGetProperty("minimum", out var min), schema.TryGetProperty("maximum", out var max)) switch
        {
            (true, true) => $" from {Num(min)} to {Num(max)}",
            (true, false) => $" of at least {Num(min)}",
            (false, true) => $" of at most {Num(max)}",
            _ => string.Empty,
        };
        return type switch
        {
            "string" => schema.TryGetProperty("maxLength", out var ml) ? $"a string of at most {ml.GetInt32()} characters" : "a string",
            "integer" => "a whole number" + range,
            "number" => "a number" + range,
            "boolean" => "true or false",
            "array" => $"a list{(schema.TryGetProperty("minItems", out var mi) ? $" of {mi.GetInt32()}{(schema.TryGetProperty("maxItems", out var ma) && ma.GetInt32() != mi.GetInt32() ? $" to {ma.GetInt32()}" : string.Empty)} items" : string.Empty)}",
            "object" => "an object",
            _ => type,
        };
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) =>
        type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => Matches(t.GetString()!, value)) : Matches(type.GetString()!, value);

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Num(JsonElement e) => e.GetDouble().ToString(CultureInfo.InvariantCulture);

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!, 40)}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => Truncate(value.GetRawText(), 40),
    };

    private static string Truncate(string s, int max) => s.Length > max ? s[..max] + "…" : s;
}
