using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Results;
using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>What flows between the steps for one image. Data flows one way: each step reads what earlier ones wrote.</summary>
public sealed class PipelineContext
{
    /// <summary>Creates the context for one image.</summary>
    /// <param name="image">The image, EXIF-oriented RGB.</param>
    /// <param name="imagePath">Where it came from, or a name for an in-memory image (default "image").</param>
    public PipelineContext(RgbImage image, string? imagePath = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        Image = image;
        ImagePath = imagePath ?? "image";
    }

    /// <summary>The image, EXIF-oriented RGB.</summary>
    public RgbImage Image { get; }

    /// <summary>Where it came from (or the in-memory image's name).</summary>
    public string ImagePath { get; }

    /// <summary>The detector's answer (null until the detect step ran, or when prompts were given directly).</summary>
    public DetectionResult? Detections { get; set; }

    /// <summary>The image embedding, started early so the encoder runs while the detector does.</summary>
    public Task<ImageEmbedding>? Embedding { get; set; }

    /// <summary>The edited image, once an inpaint step ran.</summary>
    public RgbImage? Inpainted { get; set; }

    /// <summary>The objects so far.</summary>
    public List<GroundedObject> Objects { get; } = [];

    /// <summary>Warnings collected along the way.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Per-stage timings (instrumented stages record here while the pipeline runs this image).</summary>
    public StageTimer Timer { get; } = new();

    /// <summary>Replaces an object by identity (not by value or position) with its next state.</summary>
    public void Replace(GroundedObject current, GroundedObject next)
    {
        int index = Objects.FindIndex(o => ReferenceEquals(o, current));
        if (index < 0)
        {
            throw new InvalidOperationException("The object is not in this context.");
        }

        Objects[index] = next;
    }

    /// <summary>The result so far.</summary>
    public ImageResult ToResult() => new(ImagePath, Image.Width, Image.Height, [.. Objects], Timer.Snapshot(), [.. Warnings]);
}
