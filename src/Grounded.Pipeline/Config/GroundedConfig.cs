namespace Grounded.Pipeline.Config;

/// <summary>
/// The settings file (YAML or JSON): every threshold and the whole pipeline. Unset values keep their defaults;
/// command-line flags override what the file says.
/// </summary>
public sealed class GroundedConfig
{
    /// <summary>Which models to use.</summary>
    public ModelsSection Models { get; set; } = new();

    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string? Device { get; set; }

    /// <summary>ONNX Runtime intra-op threads (0 = automatic).</summary>
    public int? Threads { get; set; }

    /// <summary>ONNX Runtime inter-op threads (0 = automatic; above 1 runs independent operators in parallel).</summary>
    public int? InterOpThreads { get; set; }

    /// <summary>Graph optimisation: all (default), extended, basic or disabled.</summary>
    public string? GraphOptimization { get; set; }

    /// <summary>Detection settings.</summary>
    public DetectSection Detect { get; set; } = new();

    /// <summary>Segmentation settings.</summary>
    public SegmentSection Segment { get; set; } = new();

    /// <summary>Output settings.</summary>
    public OutputSection Output { get; set; } = new();

    /// <summary>Models: a manifest set name or a folder path, for each stage.</summary>
    public sealed class ModelsSection
    {
        /// <summary>Detector set name or folder.</summary>
        public string? Detector { get; set; }

        /// <summary>Segmenter set name or folder.</summary>
        public string? Segmenter { get; set; }
    }

    /// <summary>Detection.</summary>
    public sealed class DetectSection
    {
        /// <summary>Box threshold (Grounded-SAM default 0.3).</summary>
        public float? BoxThreshold { get; set; }

        /// <summary>Text threshold (Grounded-SAM default 0.25).</summary>
        public float? TextThreshold { get; set; }

        /// <summary>gsa or raw.</summary>
        public string? CaptionMode { get; set; }

        /// <summary>none, class or agnostic.</summary>
        public string? Nms { get; set; }

        /// <summary>NMS IoU (default 0.5).</summary>
        public float? NmsIou { get; set; }
    }

    /// <summary>Segmentation.</summary>
    public sealed class SegmentSection
    {
        /// <summary>Keep all three candidate masks.</summary>
        public bool? Multimask { get; set; }

        /// <summary>Logit threshold (default 0.0).</summary>
        public float? MaskThreshold { get; set; }
    }

    /// <summary>Outputs.</summary>
    public sealed class OutputSection
    {
        /// <summary>Comma-separated formats.</summary>
        public string? Formats { get; set; }

        /// <summary>Output folder.</summary>
        public string? Dir { get; set; }

        /// <summary>Images in flight at once.</summary>
        public int? Parallelism { get; set; }
    }
}
