using System.Text.Json;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// mask.json as Grounded-SAM's demo writes it: [{"value": 0, "label": "background"}, {"value": k, "label", "logit",
/// "box"}…], where value k is the object's pixel value in index.png; boxes clipped to the image.
/// </summary>
public static class GroundedSamMaskJson
{
    /// <summary>Builds the entries.</summary>
    public static IReadOnlyList<GsaMaskJson> Build(IReadOnlyList<GroundedObject> objects, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return [new GsaMaskJson { Value = 0, Label = "background" }, .. objects.Select((o, k) => (o, k, box: o.Box.ClipTo(width, height))).Select(x => new GsaMaskJson
        {
            Value = x.k + 1,
            Label = x.o.Label,
            Logit = Math.Round((double)x.o.Score, 6),
            Box = [Math.Round((double)x.box.X0, 2), Math.Round((double)x.box.Y0, 2), Math.Round((double)x.box.X1, 2), Math.Round((double)x.box.Y1, 2)],
        })];
    }

    /// <summary>The file's text (indented).</summary>
    public static string ToIndented(IReadOnlyList<GroundedObject> objects, int width, int height) => JsonSerializer.Serialize(Build(objects, width, height), GroundedJsonContext.Indented.IReadOnlyListGsaMaskJson);
}
