using Grounded.Detector;
using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>Composes steps into a <see cref="GroundedPipeline"/>.</summary>
public sealed class PipelineBuilder
{
    private readonly List<IPipelineStep> _steps = [];

    /// <summary>Adds detection.</summary>
    public PipelineBuilder Detect(IDetector detector, DetectionRequest request)
    {
        _steps.Add(new DetectStep(detector, request));
        return this;
    }

    /// <summary>Adds segmentation of the detected boxes (or of <see cref="SegmentStepOptions.Prompts"/>).</summary>
    public PipelineBuilder Segment(ISegmenter segmenter, SegmentStepOptions? options = null)
    {
        _steps.Add(new SegmentStep(segmenter, options ?? new SegmentStepOptions()));
        return this;
    }

    /// <summary>Adds inpainting of the objects' masks.</summary>
    public PipelineBuilder Inpaint(Grounded.Inpaint.IInpainter inpainter, InpaintStepOptions? options = null)
    {
        _steps.Add(new InpaintStep(inpainter, options ?? new InpaintStepOptions()));
        return this;
    }

    /// <summary>Adds any step.</summary>
    public PipelineBuilder Add(IPipelineStep step)
    {
        _steps.Add(step);
        return this;
    }

    /// <summary>Builds the pipeline.</summary>
    public GroundedPipeline Build() => new([.. _steps]);
}
