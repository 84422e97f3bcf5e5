using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Grounded.Imaging;

namespace Grounded.Tests.Support;

/// <summary>Locates and reads the golden fixtures copied into tests/fixtures.</summary>
internal static class Fixtures
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static JsonElement Json(params string[] parts)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path(parts)));
        return doc.RootElement.Clone();
    }

    public static float[] Floats(params string[] parts)
    {
        byte[] bytes = File.ReadAllBytes(Path(parts));
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    public static RgbImage Image(string name) => ImageLoader.Load(Path("images", name + ".png"));

    public static string Sha256(ReadOnlySpan<float> values) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values)));

    public static string Sha256(ReadOnlySpan<byte> values) => Convert.ToHexStringLower(SHA256.HashData(values));

    public static float[] FloatArray(JsonElement e) => e.EnumerateArray().SelectMany(Flatten).ToArray();

    private static IEnumerable<float> Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flatten)
        : [e.ValueKind == JsonValueKind.String ? float.Parse(e.GetString()!.Replace("inf", "Infinity", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : e.GetSingle()];

    public static Masks.BinaryMask MaskPng(params string[] parts)
    {
        using var img = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.L8>(Path(parts));
        var bytes = new byte[img.Width * img.Height];
        img.CopyPixelDataTo(bytes);
        return Masks.BinaryMask.FromBytes(bytes, img.Width, img.Height);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures");
            if (File.Exists(System.IO.Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}
