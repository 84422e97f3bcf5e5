using System.Text.Json.Serialization;
using Grounded.Masks;

namespace Grounded.Outputs.Json;

/// <summary>results.json and each line of --json: one image's objects, masks as COCO compressed RLE.</summary>
public sealed record ResultJson
{
    /// <summary>The input path (or the in-memory image's name).</summary>
    public required string Image { get; init; }

    /// <summary>Width after EXIF orientation.</summary>
    public required int Width { get; init; }

    /// <summary>Height after EXIF orientation.</summary>
    public required int Height { get; init; }

    /// <summary>The objects, in the pipeline's order.</summary>
    public required IReadOnlyList<ObjectJson> Objects { get; init; }

    /// <summary>Per-stage wall time, sorted by stage.</summary>
    public required SortedDictionary<string, double> TimingsMs { get; init; }

    /// <summary>Non-fatal notices (absent when none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>What produced the file (results.json of folder runs; absent on --json lines).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunJson? Run { get; init; }
}

/// <summary>One object of <see cref="ResultJson"/>.</summary>
public sealed record ObjectJson
{
    /// <summary>The user's class.</summary>
    public required string Label { get; init; }

    /// <summary>The detector's phrase.</summary>
    public required string Phrase { get; init; }

    /// <summary>The score (6 decimals).</summary>
    public required double Score { get; init; }

    /// <summary>[x0, y0, x1, y1] in pixels (2 decimals), clipped to the image.</summary>
    public required double[] Box { get; init; }

    /// <summary>The detector's box as the reference gives it, when it reaches outside the image (absent otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? ReferenceBox { get; init; }

    /// <summary>The chosen mask's predicted IoU (present with a mask).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalNumber Iou { get; init; }

    /// <summary>Mask pixels (present with a mask).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Area { get; init; }

    /// <summary>The chosen mask.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(RleMaskConverter))]
    public BinaryMask? Mask { get; init; }

    /// <summary>Stability score (segment-everything; null when undefined).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalNumber Stability { get; init; }

    /// <summary>The grid point that produced the mask (segment-everything).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Point { get; init; }

    /// <summary>Every candidate mask (multimask runs).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CandidateJson>? Masks { get; init; }
}

/// <summary>One candidate mask.</summary>
/// <param name="Mask">The mask.</param>
/// <param name="Iou">Its predicted IoU (6 decimals).</param>
/// <param name="Area">Its pixels.</param>
public sealed record CandidateJson([property: JsonConverter(typeof(RleMaskConverter))] BinaryMask Mask, double Iou, long Area);

/// <summary>One entry of Grounded-SAM's mask.json (value 0 is the background, without logit and box).</summary>
public sealed record GsaMaskJson
{
    /// <summary>The pixel value in index.png.</summary>
    public required int Value { get; init; }

    /// <summary>The label.</summary>
    public required string Label { get; init; }

    /// <summary>The score.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Logit { get; init; }

    /// <summary>[x0, y0, x1, y1].</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Box { get; init; }
}
