namespace Grounded.Pipeline.Recipes;

/// <summary>
/// A recipe file (YAML or JSON): which models, then steps in order (detect, segment, mask, inpaint, or everything),
/// then outputs. Keys are snake_case.
/// </summary>
public sealed class Recipe
{
    /// <summary>A name for logs.</summary>
    public string? Name { get; set; }

    /// <summary>Default input (image, folder or glob) when the command line gives none.</summary>
    public string? Input { get; set; }

    /// <summary>Model sets or folders per stage.</summary>
    public RecipeModels Models { get; set; } = new();

    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string? Device { get; set; }

    /// <summary>ONNX Runtime threads per model.</summary>
    public int? Threads { get; set; }

    /// <summary>The steps, in order.</summary>
    public List<RecipeStep> Steps { get; set; } = [];

    /// <summary>What to write, and where.</summary>
    public RecipeOutputs Outputs { get; set; } = new();
}

/// <summary>Models of a recipe.</summary>
public sealed class RecipeModels
{
    /// <summary>Detector set or folder.</summary>
    public string? Detector { get; set; }

    /// <summary>Segmenter set or folder.</summary>
    public string? Segmenter { get; set; }

    /// <summary>Inpainting model set or folder (lama, sd).</summary>
    public string? Inpainter { get; set; }
}

/// <summary>One step: exactly one of its properties is set.</summary>
public sealed class RecipeStep
{
    /// <summary>Find boxes from a prompt.</summary>
    public DetectSettings? Detect { get; set; }

    /// <summary>Masks for the boxes.</summary>
    public SegmentSettings? Segment { get; set; }

    /// <summary>Mask operations before inpainting.</summary>
    public MaskSettings? Mask { get; set; }

    /// <summary>Edit what the masks cover.</summary>
    public InpaintSettings? Inpaint { get; set; }

    /// <summary>Every object, no prompt.</summary>
    public EverythingSettings? Everything { get; set; }
}

/// <summary>The detect step.</summary>
public sealed class DetectSettings
{
    /// <summary>What to find.</summary>
    public string? Prompt { get; set; }

    /// <summary>Box threshold (default 0.3).</summary>
    public float? BoxThreshold { get; set; }

    /// <summary>Text threshold (default 0.25).</summary>
    public float? TextThreshold { get; set; }

    /// <summary>gsa or raw.</summary>
    public string? CaptionMode { get; set; }

    /// <summary>none, class or agnostic.</summary>
    public string? Nms { get; set; }

    /// <summary>NMS IoU.</summary>
    public float? NmsIou { get; set; }
}

/// <summary>The segment step.</summary>
public sealed class SegmentSettings
{
    /// <summary>Keep all three candidates.</summary>
    public bool Multimask { get; set; }
}

/// <summary>The mask step.</summary>
public sealed class MaskSettings
{
    /// <summary>Grow by this many pixels (default 8).</summary>
    public int? Dilate { get; set; }

    /// <summary>Blend over this many pixels (default 4).</summary>
    public int? Feather { get; set; }

    /// <summary>first, merge or each.</summary>
    public string? Combine { get; set; }
}

/// <summary>The inpaint step.</summary>
public sealed class InpaintSettings
{
    /// <summary>classical, lama or sd.</summary>
    public string? Inpainter { get; set; }

    /// <summary>A model set or folder (overrides models.inpainter).</summary>
    public string? Model { get; set; }

    /// <summary>What to paint (sd).</summary>
    public string? Prompt { get; set; }

    /// <summary>What not to paint (sd).</summary>
    public string? NegativePrompt { get; set; }

    /// <summary>Denoising steps (sd, default 30).</summary>
    public int? Steps { get; set; }

    /// <summary>Guidance scale (sd, default 7.5).</summary>
    public float? Guidance { get; set; }

    /// <summary>Strength 0..1 (sd, default 1).</summary>
    public float? Strength { get; set; }

    /// <summary>Seed (sd, default 42).</summary>
    public long? Seed { get; set; }

    /// <summary>ddim or euler-ancestral (sd; default: the model's scheduler config).</summary>
    public string? Scheduler { get; set; }
}

/// <summary>The everything step.</summary>
public sealed class EverythingSettings
{
    /// <summary>Grid points per side (default 32).</summary>
    public int? PointsPerSide { get; set; }

    /// <summary>Predicted IoU threshold (default 0.88).</summary>
    public float? PredIouThresh { get; set; }

    /// <summary>Stability threshold (default 0.95).</summary>
    public float? StabilityThresh { get; set; }

    /// <summary>Box NMS IoU (default 0.7).</summary>
    public float? BoxNms { get; set; }
}

/// <summary>Outputs of a recipe.</summary>
public sealed class RecipeOutputs
{
    /// <summary>Comma-separated formats.</summary>
    public string? Formats { get; set; }

    /// <summary>Output folder.</summary>
    public string? Dir { get; set; }
}
