using System.Text.Json;

namespace Grounded.Onnx.Configs;

/// <summary>A Hugging Face image processor's preprocessor_config.json (the keys SAM and Grounding DINO read).</summary>
public sealed record ImageProcessorConfig
{
    /// <summary>The resize rule: an object of edges or a fixed size (other forms are ignored, as the processors do).</summary>
    public JsonElement? Size { get; init; }

    /// <summary>SAM's padding target.</summary>
    public ImageSizeConfig? PadSize { get; init; }

    /// <summary>Whether pixel values are rescaled (default true).</summary>
    public bool? DoRescale { get; init; }

    /// <summary>The rescale factor (default 1/255).</summary>
    public double? RescaleFactor { get; init; }

    /// <summary>Whether pixels are normalised (default true).</summary>
    public bool? DoNormalize { get; init; }

    /// <summary>Per-channel mean.</summary>
    public double[]? ImageMean { get; init; }

    /// <summary>Per-channel standard deviation.</summary>
    public double[]? ImageStd { get; init; }

    /// <summary>The size object, when <see cref="Size"/> is one.</summary>
    public ImageSizeConfig? SizeObject(string path)
    {
        if (Size is not { ValueKind: JsonValueKind.Object } size)
        {
            return null;
        }

        try
        {
            return size.Deserialize(ModelConfigJsonContext.Default.ImageSizeConfig);
        }
        catch (JsonException ex)
        {
            throw new ModelContractException(path, $"'size.{ex.Path?.TrimStart('$', '.')}' has a value of the wrong type.", ex);
        }
    }

    /// <summary>A three-channel mean or std, checked: names the file and key when it is not three positive/finite numbers.</summary>
    public static double[] Channels(double[] values, string path, string key, bool positive) =>
        values.Length == 3 && values.All(v => double.IsFinite(v) && (!positive || v > 0))
            ? values
            : throw ModelConfigFile.Invalid(path, key, $"must be 3 {(positive ? "positive " : string.Empty)}numbers; got [{string.Join(", ", values)}]");
}

/// <summary>The size forms of image processors.</summary>
public sealed record ImageSizeConfig
{
    /// <summary>Resize the longest edge to this (SAM).</summary>
    public int? LongestEdge { get; init; }

    /// <summary>Resize the shortest edge to this, capped by <see cref="LongestEdge"/> (Grounding DINO).</summary>
    public int? ShortestEdge { get; init; }

    /// <summary>Fit inside this height.</summary>
    public int? MaxHeight { get; init; }

    /// <summary>Fit inside this width.</summary>
    public int? MaxWidth { get; init; }

    /// <summary>Exactly this height.</summary>
    public int? Height { get; init; }

    /// <summary>Exactly this width.</summary>
    public int? Width { get; init; }
}
