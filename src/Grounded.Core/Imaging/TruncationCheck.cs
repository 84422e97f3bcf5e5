using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;

namespace Grounded.Imaging;

/// <summary>
/// Detects files cut short. ImageSharp fills the missing rows of a truncated PNG or JPEG with black and reports
/// success; PIL (the references) raises instead, and so do we: each format's end marker or declared length is
/// checked before decoding.
/// </summary>
internal static class TruncationCheck
{
    private const int TailWindow = 4096;

    public static bool IsTruncated(ReadOnlySpan<byte> file, IImageFormat format) => format.Name.ToUpperInvariant() switch
    {
        "PNG" => Tail(file).IndexOf("IEND"u8) < 0,
        "JPEG" => Tail(file).IndexOf([(byte)0xFF, (byte)0xD9]) < 0,
        "GIF" => Tail(file).IndexOf((byte)0x3B) < 0,
        "BMP" => file.Length >= 6 && BinaryPrimitives.ReadUInt32LittleEndian(file[2..6]) > file.Length,
        "WEBP" => file.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(file[4..8]) + 8L > file.Length,
        _ => false,
    };

    private static ReadOnlySpan<byte> Tail(ReadOnlySpan<byte> file) => file.Length <= TailWindow ? file : file[^TailWindow..];
}
