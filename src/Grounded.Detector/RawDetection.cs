using Grounded.Detector.Text;

namespace Grounded.Detector;

/// <summary>
/// One image's raw Grounding DINO outputs for one prompt: every query's token logits and box. Kept by interactive
/// hosts so a moved threshold re-filters these instead of running the model again (about 1 MB for 900 queries).
/// </summary>
public sealed class RawDetection
{
    internal RawDetection(float[] logits, long[] logitsShape, float[] boxes, int width, int height, TokenizedCaption caption, IReadOnlyList<string> warnings, CaptionMode captionMode)
    {
        Logits = logits;
        LogitsShape = logitsShape;
        Boxes = boxes;
        Width = width;
        Height = height;
        Caption = caption;
        Warnings = warnings;
        CaptionMode = captionMode;
    }

    /// <summary>Width of the image.</summary>
    public int Width { get; }

    /// <summary>Height of the image.</summary>
    public int Height { get; }

    /// <summary>Truncation warnings of the prompt.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The caption rule the prompt was built with.</summary>
    public CaptionMode CaptionMode { get; }

    internal float[] Logits { get; }

    internal long[] LogitsShape { get; }

    internal float[] Boxes { get; }

    internal TokenizedCaption Caption { get; }
}
