using System.Text;

namespace Grounded.Onnx.Graphs;

/// <summary>
/// The protobuf wire format, as far as editing an ONNX model needs it: a message is read as its fields in order,
/// each kept as the exact bytes it was written with, so a rewrite changes only the fields it means to change.
/// </summary>
internal static class ProtoWire
{
    /// <summary>One field of a message: its number, wire type, and the whole encoded field (tag included).</summary>
    internal readonly record struct Field(int Number, int WireType, ReadOnlyMemory<byte> Encoded, ReadOnlyMemory<byte> Payload)
    {
        /// <summary>A length-delimited field's payload as UTF-8 text (names, op types).</summary>
        public string Text => Encoding.UTF8.GetString(Payload.Span);
    }

    /// <summary>Splits a message into its fields; throws <see cref="FormatException"/> on bytes that are not protobuf.</summary>
    public static List<Field> Read(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var span = message.Span;
        int position = 0;
        while (position < span.Length)
        {
            int start = position;
            ulong tag = ReadVarint(span, ref position);
            int number = checked((int)(tag >> 3)), wireType = (int)(tag & 7);
            if (number <= 0)
            {
                throw new FormatException("A protobuf field number must be positive.");
            }

            int payloadStart = position, payloadLength;
            switch (wireType)
            {
                case 0:
                    ReadVarint(span, ref position);
                    payloadLength = position - payloadStart;
                    break;
                case 1:
                    payloadLength = 8;
                    position += 8;
                    break;
                case 2:
                    ulong length = ReadVarint(span, ref position);
                    if (length > (ulong)(span.Length - position))
                    {
                        throw new FormatException("A protobuf field runs past the end of its message.");
                    }

                    payloadStart = position;
                    payloadLength = (int)length;
                    position += payloadLength;
                    break;
                case 5:
                    payloadLength = 4;
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Protobuf wire type {wireType} is not used by ONNX.");
            }

            if (position > span.Length)
            {
                throw new FormatException("A protobuf field runs past the end of its message.");
            }

            fields.Add(new Field(number, wireType, message[start..position], message.Slice(payloadStart, payloadLength)));
        }

        return fields;
    }

    /// <summary>The value of a varint field.</summary>
    public static ulong Varint(Field field)
    {
        int position = 0;
        return ReadVarint(field.Payload.Span, ref position);
    }

    /// <summary>Writes a length-delimited field.</summary>
    public static void WriteBytes(Stream output, int number, ReadOnlySpan<byte> payload)
    {
        WriteVarint(output, ((ulong)number << 3) | 2);
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    /// <summary>Writes a varint field.</summary>
    public static void WriteVarintField(Stream output, int number, ulong value)
    {
        WriteVarint(output, (ulong)number << 3);
        WriteVarint(output, value);
    }

    /// <summary>Writes a string field.</summary>
    public static void WriteString(Stream output, int number, string text) => WriteBytes(output, number, Encoding.UTF8.GetBytes(text));

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("A protobuf varint runs past the end of its message.");
            }

            byte b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("A protobuf varint is longer than 10 bytes.");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
