using System.Text.Json;
using System.Text.Json.Serialization;
using Grounded.Masks;

namespace Grounded.Outputs.Json;

/// <summary>An encoded mask in JSON, the same shape as <see cref="RleMaskConverter"/> writes (for datasets that keep the RLE they computed).</summary>
public sealed class CocoRleConverter : JsonConverter<CocoRle>
{
    /// <inheritdoc />
    public override CocoRle Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CocoRle.Encode(new RleMaskConverter().Read(ref reader, typeof(BinaryMask), options));

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, CocoRle value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        RleMaskConverter.Write(writer, value);
    }
}
