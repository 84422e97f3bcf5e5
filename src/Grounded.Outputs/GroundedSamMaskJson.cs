using System.Text.Json.Nodes;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// mask.json as Grounded-SAM's demo writes it: [{"value": 0, "label": "background"}, {"value": k, "label", "logit",
/// "box"}…], where value k is the object's pixel value in index.png.
/// </summary>
public static class GroundedSamMaskJson
{
    /// <summary>Builds the array.</summary>
    public static JsonArray Build(IReadOnlyList<SegmentedInstance> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var array = new JsonArray { new JsonObject { ["value"] = 0, ["label"] = "background" } };
        for (int k = 0; k < objects.Count; k++)
        {
            var o = objects[k];
            array.Add(new JsonObject
            {
                ["value"] = k + 1,
                ["label"] = o.Label,
                ["logit"] = Math.Round((double)o.Score, 6),
                ["box"] = new JsonArray(Math.Round((double)o.Box.X0, 2), Math.Round((double)o.Box.Y0, 2), Math.Round((double)o.Box.X1, 2), Math.Round((double)o.Box.Y1, 2)),
            });
        }

        return array;
    }
}
