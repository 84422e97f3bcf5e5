using System.Text.Json;
using System.Text.Json.Serialization;
using Grounded.Masks;

namespace Grounded.Outputs.Json;

/// <summary>The one way a mask is written and read in JSON: COCO compressed RLE, <c>{"size": [h, w], "counts": "…"}</c>.</summary>
public sealed class RleMaskConverter : JsonConverter<BinaryMask>
{
    /// <inheritdoc />
    public override BinaryMask Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        int? height = null, width = null;
        string? counts = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A mask must be an object with size and counts.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString() ?? string.Empty;
            reader.Read();
            if (name == "size" && reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
                height = reader.GetInt32();
                reader.Read();
                width = reader.GetInt32();
                reader.Read();
            }
            else if (name == "counts")
            {
                counts = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return height is int h && width is int w && counts is not null
            ? CocoRle.FromCompressedString(h, w, counts).Decode()
            : throw new JsonException("A mask needs size [h, w] and counts.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BinaryMask value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var rle = CocoRle.Encode(value);
        Write(writer, rle);
    }

    /// <summary>Writes an already encoded mask.</summary>
    internal static void Write(Utf8JsonWriter writer, CocoRle rle)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("size");
        writer.WriteNumberValue(rle.Height);
        writer.WriteNumberValue(rle.Width);
        writer.WriteEndArray();
        writer.WriteString("counts", rle.ToCompressedString());
        writer.WriteEndObject();
        if (writer.BytesPending > 1 << 20)
        {
            // Where the writer writes to a stream, a large mask's text leaves memory now, not with the document.
            writer.Flush();
        }
    }
}
