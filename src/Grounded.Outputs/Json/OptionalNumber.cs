using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grounded.Outputs.Json;

/// <summary>
/// A number that is either absent (the default: the property is not written), null (written as null, e.g. a NaN
/// stability), or a value. JSON needs the three states; <c>double?</c> has two.
/// </summary>
[JsonConverter(typeof(OptionalNumberConverter))]
public readonly record struct OptionalNumber(bool IsPresent, double? Value)
{
    /// <summary>A present value (null for a value that is not a number).</summary>
    public static OptionalNumber Of(double? value) => new(true, value is double d && double.IsFinite(d) ? d : null);
}

/// <summary>Writes <see cref="OptionalNumber"/> as its value or null.</summary>
public sealed class OptionalNumberConverter : JsonConverter<OptionalNumber>
{
    /// <inheritdoc />
    public override OptionalNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(true, reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble());

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, OptionalNumber value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.Value is double d)
        {
            writer.WriteNumberValue(d);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
