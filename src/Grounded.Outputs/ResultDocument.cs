using System.Text.Json;
using System.Text.Json.Nodes;
using Grounded.Masks;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// The JSON document of one image: <c>{"image", "width", "height", "objects": [{"label", "phrase", "score", "box",
/// "iou", "area", "mask": {"size", "counts"}, "masks": [...]}], "timings_ms"}</c>, masks as COCO compressed RLE.
/// </summary>
public static class ResultDocument
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Builds the document.</summary>
    public static JsonObject Build(ImageResult result, bool includeCandidates)
    {
        ArgumentNullException.ThrowIfNull(result);
        var objects = new JsonArray();
        foreach (var o in result.Objects)
        {
            var node = new JsonObject
            {
                ["label"] = o.Label,
                ["phrase"] = o.Phrase,
                ["score"] = Round(o.Score, 6),
                ["box"] = new JsonArray(Round(o.Box.X0, 2), Round(o.Box.Y0, 2), Round(o.Box.X1, 2), Round(o.Box.Y1, 2)),
            };
            if (o.Mask is not null)
            {
                node["iou"] = o.PredictedIou is float iou ? Round(iou, 6) : null;
                node["area"] = o.Mask.Area();
                node["mask"] = Rle(o.Mask);
                if (o.Stability is float stability)
                {
                    node["stability"] = float.IsNaN(stability) ? null : Math.Round((double)stability, 6);
                }

                if (o.Point is var (px, py))
                {
                    node["point"] = new JsonArray(px, py);
                }

                if (includeCandidates)
                {
                    var masks = new JsonArray();
                    foreach (var (mask, candidateIou) in o.Candidates)
                    {
                        masks.Add(new JsonObject { ["mask"] = Rle(mask), ["iou"] = Round(candidateIou, 6), ["area"] = mask.Area() });
                    }

                    node["masks"] = masks;
                }
            }

            objects.Add(node);
        }

        var doc = new JsonObject
        {
            ["image"] = result.ImagePath,
            ["width"] = result.Width,
            ["height"] = result.Height,
            ["objects"] = objects,
            ["timings_ms"] = new JsonObject(result.TimingsMs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        if (result.Warnings.Count > 0)
        {
            doc["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode?)w)]);
        }

        return doc;
    }

    /// <summary>One line (for --json and JSON Lines).</summary>
    public static string ToLine(ImageResult result, bool includeCandidates) => Build(result, includeCandidates).ToJsonString();

    /// <summary>Indented (for results.json).</summary>
    public static string ToIndented(ImageResult result, bool includeCandidates) => Build(result, includeCandidates).ToJsonString(Indented);

    /// <summary>A mask as {"size": [h, w], "counts": "..."}.</summary>
    public static JsonObject Rle(BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var rle = CocoRle.Encode(mask);
        return new JsonObject { ["size"] = new JsonArray(rle.Height, rle.Width), ["counts"] = rle.ToCompressedString() };
    }

    private static double Round(float value, int digits) => Math.Round((double)value, digits);
}
