using Grounded.Imaging;
using Grounded.Tensors;

using Grounded.Onnx.Configs;

namespace Grounded.Detector.Processing;

/// <summary>
/// Grounding DINO's image pre-processing: shortest edge to 800 unless the longest would pass 1333 (PIL bilinear),
/// rescale, normalise. The two references differ in the size arithmetic and the float32 operation order; both are
/// reproduced.
/// </summary>
internal sealed record DinoPreprocessing(int ShortestEdge, int LongestEdge, double[] Mean, double[] Std, double RescaleFactor, bool IdeaRules)
{
    /// <summary>A config's <c>size</c> of {height, width}: resize to exactly that (some exports ship 800×800).</summary>
    public (int Width, int Height)? ExactSize { get; init; }

    /// <summary>A config's <c>size</c> of {max_height, max_width}: fit inside, keeping the aspect ratio.</summary>
    public (int Width, int Height)? MaxSize { get; init; }

    /// <summary>The IDEA code: T.RandomResize([800], max_size=1333), ToTensor, Normalize.</summary>
    public static DinoPreprocessing Idea { get; } = new(800, 1333, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], 1 / 255.0, IdeaRules: true);

    /// <summary>GroundingDinoImageProcessor's defaults.</summary>
    public static DinoPreprocessing HuggingFaceDefaults { get; } = new(800, 1333, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], 1 / 255.0, IdeaRules: false);

    /// <summary>Reads a Hugging Face <c>preprocessor_config.json</c>.</summary>
    /// <exception cref="Onnx.ModelContractException">A key has the wrong type or range (names the file and key).</exception>
    public static DinoPreprocessing FromHuggingFaceConfig(string path)
    {
        var c = ModelConfigFile.Read(path, ModelConfigJsonContext.Default.ImageProcessorConfig);
        var d = HuggingFaceDefaults;
        int shortest = d.ShortestEdge, longest = d.LongestEdge;
        (int, int)? exact = null, max = null;
        if (c.SizeObject(path) is { } size)
        {
            // GroundingDinoImageProcessor accepts three forms of `size`, in this order of precedence.
            if (size is { ShortestEdge: int se, LongestEdge: int le })
            {
                (shortest, longest) = (Edge(se, path, "size.shortest_edge"), Edge(le, path, "size.longest_edge"));
            }
            else if (size is { MaxHeight: int mh, MaxWidth: int mw })
            {
                max = (Edge(mw, path, "size.max_width"), Edge(mh, path, "size.max_height"));
            }
            else if (size is { Height: int h, Width: int w })
            {
                exact = (Edge(w, path, "size.width"), Edge(h, path, "size.height"));
            }
        }

        bool rescale = c.DoRescale ?? true;
        double factor = !rescale ? 1.0 : c.RescaleFactor ?? 1 / 255.0;
        bool normalize = c.DoNormalize ?? true;
        double[] mean = !normalize ? [0, 0, 0] : c.ImageMean is { } m ? ImageProcessorConfig.Channels(m, path, "image_mean", positive: false) : d.Mean;
        double[] std = !normalize ? [1, 1, 1] : c.ImageStd is { } sd ? ImageProcessorConfig.Channels(sd, path, "image_std", positive: true) : d.Std;
        return new DinoPreprocessing(shortest, longest, mean, std, factor, IdeaRules: false) { ExactSize = exact, MaxSize = max };
    }

    private static int Edge(int value, string path, string key) =>
        value is >= 1 and <= 16384 ? value : throw ModelConfigFile.Invalid(path, key, $"must be 1..16384; got {value}");

    /// <summary>The resized (width, height) for an image, by the reference's own rounding.</summary>
    /// <exception cref="ImageLoadException">A side would round to no pixels (a very elongated image).</exception>
    public (int Width, int Height) ResizedSize(int width, int height) =>
        ModelInputSize.Checked(UncheckedSize(width, height), width, height, "Grounding DINO");

    private (int Width, int Height) UncheckedSize(int width, int height)
    {
        if (ExactSize is { } exact)
        {
            return exact;
        }

        if (MaxSize is var (maxW, maxH))
        {
            double scale = Math.Min((double)maxH / height, (double)maxW / width);
            return ((int)(width * scale), (int)(height * scale));
        }

        return IdeaRules ? IdeaSize(width, height) : HuggingFaceSize(width, height);
    }

    /// <summary>Resizes (PIL bilinear) and normalises into a [3, H, W] tensor, taken from <paramref name="buffers"/> when given.</summary>
    public (float[] Tensor, int Width, int Height) Process(RgbImage image, (int Width, int Height)? fixedSize = null, FloatBufferPool? buffers = null)
    {
        var (w, h) = fixedSize ?? ResizedSize(image.Width, image.Height);
        var arithmetic = IdeaRules ? NormalizationArithmetic.RescaleThenNormalize : NormalizationArithmetic.FoldedScale;
        float[] tensor = buffers?.Rent(3 * w * h) ?? GC.AllocateUninitializedArray<float>(3 * w * h);
        return (ChwNormalizer.ResizeToChw(image, w, h, h, w, Mean, Std, RescaleFactor, tensor, arithmetic), w, h);
    }

    // transformers' get_size_with_aspect_ratio: the long side keeps the unrounded raw size.
    private (int Width, int Height) HuggingFaceSize(int width, int height)
    {
        double size = ShortestEdge;
        double? raw = null;
        double min = Math.Min(width, height), max = Math.Max(width, height);
        if (max / min * size > LongestEdge)
        {
            raw = LongestEdge * min / max;
            size = (int)Math.Round(raw.Value, MidpointRounding.ToEven);
        }

        if ((height <= width && height == size) || (width <= height && width == size))
        {
            return (width, height);
        }

        return width < height
            ? ((int)size, (int)((raw ?? size) * height / width))
            : ((int)((raw ?? size) * width / height), (int)size);
    }

    // GroundingDINO's datasets/transforms.py get_size_with_aspect_ratio: the rounded size for both sides.
    private (int Width, int Height) IdeaSize(int width, int height)
    {
        int size = ShortestEdge;
        double min = Math.Min(width, height), max = Math.Max(width, height);
        if (max / min * size > LongestEdge)
        {
            size = (int)Math.Round(LongestEdge * min / max, MidpointRounding.ToEven);
        }

        if ((width <= height && width == size) || (height <= width && height == size))
        {
            return (width, height);
        }

        return width < height ? (size, (int)((double)size * height / width)) : ((int)((double)size * width / height), size);
    }
}
