using System.Text.Json;
using Grounded.Geometry;
using Grounded.Masks;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>Reads a results.json back (a resumed run reports and re-counts finished images without re-running them).</summary>
public static class ResultReader
{
    /// <summary>Parses a results.json file.</summary>
    public static ImageResult Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return Parse(doc.RootElement);
    }

    /// <summary>Parses a result document.</summary>
    public static ImageResult Parse(JsonElement root)
    {
        var objects = new List<SegmentedInstance>();
        foreach (var o in root.GetProperty("objects").EnumerateArray())
        {
            var b = o.GetProperty("box");
            var box = new BoxXyxy(b[0].GetSingle(), b[1].GetSingle(), b[2].GetSingle(), b[3].GetSingle());
            BinaryMask? mask = o.TryGetProperty("mask", out var m) ? Mask(m) : null;
            float? iou = o.TryGetProperty("iou", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetSingle() : null;
            var candidates = o.TryGetProperty("masks", out var ms)
                ? ms.EnumerateArray().Select(c => (Mask(c.GetProperty("mask")), c.GetProperty("iou").GetSingle())).ToList()
                : [];
            objects.Add(new SegmentedInstance(o.GetProperty("label").GetString()!, o.GetProperty("phrase").GetString()!, o.GetProperty("score").GetSingle(), box, mask, iou, candidates)
            {
                Stability = o.TryGetProperty("stability", out var st) && st.ValueKind == JsonValueKind.Number ? st.GetSingle() : null,
                Point = o.TryGetProperty("point", out var pt) ? (pt[0].GetDouble(), pt[1].GetDouble()) : null,
            });
        }

        var timings = root.TryGetProperty("timings_ms", out var t)
            ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())
            : [];
        var warnings = root.TryGetProperty("warnings", out var w) ? w.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        return new ImageResult(root.GetProperty("image").GetString()!, root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), objects, timings, warnings);
    }

    private static BinaryMask Mask(JsonElement rle)
    {
        var size = rle.GetProperty("size");
        return CocoRle.FromCompressedString(size[0].GetInt32(), size[1].GetInt32(), rle.GetProperty("counts").GetString()!).Decode();
    }
}
