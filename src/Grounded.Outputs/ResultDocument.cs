using System.Text.Json;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// The JSON document of one image (<see cref="ResultJson"/>): <c>{"image", "width", "height", "objects": [{"label",
/// "phrase", "score", "box", "iou", "area", "mask": {"size", "counts"}, "masks": [...]}], "timings_ms"}</c>.
/// </summary>
public static class ResultDocument
{
    /// <summary>Builds the document.</summary>
    public static ResultJson Build(ImageResult result, bool includeCandidates)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultJson
        {
            Image = result.ImagePath,
            Width = result.Width,
            Height = result.Height,
            Objects = [.. result.Objects.Select(o => Object(o, includeCandidates, result.Width, result.Height))],
            TimingsMs = new SortedDictionary<string, double>(result.TimingsMs.ToDictionary(), StringComparer.Ordinal),
            Warnings = result.Warnings.Count > 0 ? result.Warnings : null,
        };
    }

    /// <summary>One line (for --json and JSON Lines).</summary>
    public static string ToLine(ImageResult result, bool includeCandidates) => JsonSerializer.Serialize(Build(result, includeCandidates), GroundedJsonContext.Default.ResultJson);

    /// <summary>
    /// Writes the indented document to a stream, encoding one mask at a time: an image with many large masks never
    /// holds every mask's RLE text at once.
    /// </summary>
    public static void WriteIndented(Stream stream, ImageResult result, bool includeCandidates, RunJson? run = null)
    {
        // A writer on the stream itself (JsonSerializer.Serialize(Stream) would buffer the whole document first);
        // the RLE converter flushes it after each large mask.
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        JsonSerializer.Serialize(writer, Build(result, includeCandidates) with { Run = run }, GroundedJsonContext.Indented.ResultJson);
    }

    /// <summary>The result a document describes (masks decoded).</summary>
    public static ImageResult ToResult(ResultJson document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new ImageResult(document.Image, document.Width, document.Height, [.. document.Objects.Select(FromJson)], document.TimingsMs, document.Warnings ?? []);
    }

    private static GroundedObject FromJson(ObjectJson o)
    {
        double[] b = o.ReferenceBox ?? o.Box;
        return new GroundedObject(o.Label, o.Phrase, (float)o.Score, new Geometry.BoxXyxy((float)b[0], (float)b[1], (float)b[2], (float)b[3]))
        {
            Mask = o.Mask,
            PredictedIou = o.Iou.Value is double iou ? (float)iou : null,
            Candidates = o.Masks is { } masks ? [.. masks.Select(c => (c.Mask, (float)c.Iou))] : [],
            Stability = o.Stability.IsPresent ? (float)(o.Stability.Value ?? double.NaN) : null,
            Point = o.Point is [var x, var y] ? (x, y) : null,
        };
    }

    private static ObjectJson Object(GroundedObject o, bool includeCandidates, int width, int height)
    {
        // The box as drawn and cut out: clipped to the image. The detector's own box (which the reference does not
        // clip) stays beside it when it reaches outside.
        var clipped = o.Box.ClipTo(width, height);
        var json = new ObjectJson
        {
            Label = o.Label,
            Phrase = o.Phrase,
            Score = Round(o.Score, 6),
            Box = Coordinates(clipped),
            ReferenceBox = clipped == o.Box ? null : Coordinates(o.Box),
        };
        if (o.Mask is null)
        {
            return json;
        }

        return json with
        {
            Iou = new OptionalNumber(true, o.PredictedIou is float iou ? Round(iou, 6) : null),
            Area = o.Mask.Area(),
            Mask = o.Mask,
            Stability = o.Stability is float stability ? new OptionalNumber(true, float.IsNaN(stability) ? null : Math.Round((double)stability, 6)) : default,
            Point = o.Point is var (px, py) ? [px, py] : null,
            Masks = includeCandidates ? [.. o.Candidates.Select(c => new CandidateJson(c.Mask, Round(c.Iou, 6), c.Mask.Area()))] : null,
        };
    }

    private static double[] Coordinates(Geometry.BoxXyxy box) => [Round(box.X0, 2), Round(box.Y0, 2), Round(box.X1, 2), Round(box.Y1, 2)];

    private static double Round(float value, int digits) => Math.Round((double)value, digits);
}
