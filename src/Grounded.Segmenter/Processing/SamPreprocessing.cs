using Grounded.Imaging;
using Grounded.Tensors;

using Grounded.Onnx.Configs;

namespace Grounded.Segmenter.Processing;

/// <summary>
/// SAM's image pre-processing: resize the longest side to <see cref="LongestEdge"/> (PIL bilinear), normalise,
/// zero-pad bottom/right to <see cref="PadSize"/>.
/// </summary>
internal sealed record SamPreprocessing(int LongestEdge, int PadSize, double[] Mean, double[] Std, double RescaleFactor)
{
    /// <summary>segment-anything's constants (mean/std on the 0..255 scale).</summary>
    public static SamPreprocessing Official { get; } = new(1024, 1024, [123.675, 116.28, 103.53], [58.395, 57.12, 57.375], 1.0);

    /// <summary>SamImageProcessor's defaults, for a Hugging Face folder without preprocessor_config.json.</summary>
    public static SamPreprocessing FromDefaults() => new(1024, 1024, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], 1 / 255.0);

    /// <summary>Reads a Hugging Face <c>preprocessor_config.json</c> (SamImageProcessor).</summary>
    /// <exception cref="Onnx.ModelContractException">A key has the wrong type or range (names the file and key).</exception>
    public static SamPreprocessing FromHuggingFaceConfig(string path)
    {
        var c = ModelConfigFile.Read(path, ModelConfigJsonContext.Default.ImageProcessorConfig);
        int longest = c.SizeObject(path)?.LongestEdge ?? 1024;
        int pad = c.PadSize?.Height ?? longest;
        if (longest is < 1 or > 16384 || pad < longest || pad > 16384)
        {
            throw ModelConfigFile.Invalid(path, "size.longest_edge", $"must be 1..16384 and at most pad_size.height; got {longest} and {pad}");
        }

        bool rescale = c.DoRescale ?? true;
        double factor = rescale ? c.RescaleFactor ?? 1 / 255.0 : 1.0;
        bool normalize = c.DoNormalize ?? true;
        double[] mean = normalize && c.ImageMean is { } m ? ImageProcessorConfig.Channels(m, path, "image_mean", positive: false) : [0, 0, 0];
        double[] std = normalize && c.ImageStd is { } sd ? ImageProcessorConfig.Channels(sd, path, "image_std", positive: true) : [1, 1, 1];
        return new SamPreprocessing(longest, pad, mean, std, factor);
    }

    /// <summary>
    /// The resized size: <c>int(old * (longest / max(h, w)) + 0.5)</c>, with the scale computed first as in
    /// segment-anything's ResizeLongestSide and transformers' SamImageProcessor.
    /// </summary>
    /// <exception cref="ImageLoadException">A side would round to no pixels (a very elongated image).</exception>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        double scale = LongestEdge * 1.0 / Math.Max(width, height);
        return ModelInputSize.Checked(((int)(width * scale + 0.5), (int)(height * scale + 0.5)), width, height, "SAM");
    }

    /// <summary>Resizes with PIL's bilinear filter.</summary>
    public RgbImage Resize(RgbImage image)
    {
        var (w, h) = ResizedSize(image.Width, image.Height);
        return PilBilinear.Resize(image, w, h);
    }

    /// <summary>
    /// Resizes, normalises and pads in one pass into <paramref name="destination"/> ([3, PadSize, PadSize], e.g. a
    /// pooled buffer): the same values as <see cref="Resize"/> then <see cref="ToTensor"/>. Returns the resized size.
    /// </summary>
    public (int Width, int Height) ResizeToTensor(RgbImage image, float[] destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (w, h) = ResizedSize(image.Width, image.Height);
        ChwNormalizer.ResizeToChw(image, w, h, PadSize, PadSize, Mean, Std, RescaleFactor, destination);
        return (w, h);
    }

    /// <summary>The normalised, padded [3, PadSize, PadSize] tensor of an already-resized image.</summary>
    public float[] ToTensor(RgbImage resized) => ChwNormalizer.ToChw(resized, PadSize, PadSize, Mean, Std, RescaleFactor);
}
