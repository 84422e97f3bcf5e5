using System.Text.Json;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// mask.json as Grounded-SAM's demo writes it: [{"value": 0, "label": "background"}, {"value": k, "label", "logit",
/// "box"}…], where value k is the object's pixel value in index.png.
/// </summary>
public static class GroundedSamMaskJson
{
    /// <summary>Builds the entries.</summary>
    public static IReadOnlyList<GsaMaskJson> Build(IReadOnlyList<GroundedObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return [new GsaMaskJson { Value = 0, Label = "background" }, .. objects.Select((o, k) => new GsaMaskJson
        {
            Value = k + 1,
            Label = o.Label,
            Logit = Math.Round((double)o.Score, 6),
            Box = [Math.Round((double)o.Box.X0, 2), Math.Round((double)o.Box.Y0, 2), Math.Round((double)o.Box.X1, 2), Math.Round((double)o.Box.Y1, 2)],
        })];
    }

    /// <summary>The file's text (indented).</summary>
    public static string ToIndented(IReadOnlyList<GroundedObject> objects) => JsonSerializer.Serialize(Build(objects), GroundedJsonContext.Indented.IReadOnlyListGsaMaskJson);
}
