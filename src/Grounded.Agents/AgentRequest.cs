using Grounded.Segmenter;

namespace Grounded.Agents;

/// <summary>What a tool does.</summary>
public enum AgentTask
{
    /// <summary>Boxes only.</summary>
    Detect,

    /// <summary>Boxes and masks (or masks from boxes and points).</summary>
    Segment,

    /// <summary>Every object, no prompt.</summary>
    Everything,

    /// <summary>Transparent cut-outs.</summary>
    CutOut,

    /// <summary>Remove and fill.</summary>
    Remove,

    /// <summary>Replace by a described object.</summary>
    Replace,
}

/// <summary>One tool call's inputs, as the tools check them.</summary>
public sealed record AgentRequest
{
    /// <summary>The image path, inside the allowed folders.</summary>
    public required string Image { get; init; }

    /// <summary>What to find.</summary>
    public string? Prompt { get; init; }

    /// <summary>Box threshold (null: the server's default).</summary>
    public float? BoxThreshold { get; init; }

    /// <summary>Text threshold (null: the server's default).</summary>
    public float? TextThreshold { get; init; }

    /// <summary>Most objects returned (capped by the server's limit).</summary>
    public int? MaxObjects { get; init; }

    /// <summary>Boxes and points instead of a prompt.</summary>
    public IReadOnlyList<SamPrompt>? Prompts { get; init; }

    /// <summary>Segment-everything grid size.</summary>
    public int? PointsPerSide { get; init; }

    /// <summary>What replace paints instead.</summary>
    public string? Replacement { get; init; }

    /// <summary>Denoising steps for replace.</summary>
    public int? Steps { get; init; }

    /// <summary>Guidance scale for replace.</summary>
    public float? Guidance { get; init; }

    /// <summary>Seed for replace.</summary>
    public int? Seed { get; init; }
}

/// <summary>What describe_image returns.</summary>
public sealed record ImageDescription
{
    /// <summary>The path as given.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("image")]
    public required string Image { get; init; }

    /// <summary>PNG, JPEG…</summary>
    [System.Text.Json.Serialization.JsonPropertyName("format")]
    public required string Format { get; init; }

    /// <summary>Width as stored.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("width")]
    public int Width { get; init; }

    /// <summary>Height as stored.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("height")]
    public int Height { get; init; }

    /// <summary>EXIF orientation, 1 to 8.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("orientation")]
    public int Orientation { get; init; }

    /// <summary>Width once oriented.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("oriented_width")]
    public int OrientedWidth { get; init; }

    /// <summary>Height once oriented.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("oriented_height")]
    public int OrientedHeight { get; init; }

    /// <summary>File size.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("bytes")]
    public long Bytes { get; init; }
}
