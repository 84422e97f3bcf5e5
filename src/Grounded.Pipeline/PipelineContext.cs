using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Pipeline.Results;
using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>What flows between the steps for one image. Data flows one way: each step reads what earlier ones wrote.</summary>
public sealed class PipelineContext
{
    /// <summary>Creates the context for one image.</summary>
    public PipelineContext(RgbImage image, string imagePath)
    {
        Image = image;
        ImagePath = imagePath;
    }

    /// <summary>The image, EXIF-oriented RGB.</summary>
    public RgbImage Image { get; }

    /// <summary>Where it came from.</summary>
    public string ImagePath { get; }

    /// <summary>The detector's answer (null until the detect step ran, or when prompts were given directly).</summary>
    public DetectionResult? Detections { get; set; }

    /// <summary>The image embedding, started early so the encoder runs while the detector does.</summary>
    public Task<ImageEmbedding>? Embedding { get; set; }

    /// <summary>The edited image, once an inpaint step ran.</summary>
    public RgbImage? Inpainted { get; set; }

    /// <summary>The objects so far.</summary>
    public List<SegmentedInstance> Objects { get; } = [];

    /// <summary>Warnings collected along the way.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Per-stage timings.</summary>
    public StageTimer Timer { get; } = new();

    /// <summary>The result so far.</summary>
    public ImageResult ToResult() => new(ImagePath, Image.Width, Image.Height, [.. Objects], Timer.Snapshot(), [.. Warnings]);
}
