using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Pipeline.Observability;
using Grounded.Segmenter;
using Microsoft.Extensions.Logging;

namespace Grounded.Pipeline;

/// <summary>
/// Composes steps into a <see cref="GroundedPipeline"/>. Stages can be wrapped with <c>Use(...)</c>, as
/// Microsoft.Extensions.AI's builders do: each wrapper applies to every stage of its kind, outermost last.
/// </summary>
public sealed class PipelineBuilder
{
    private readonly List<Func<Wrappers, IPipelineStep>> _steps = [];
    private readonly List<Func<IDetector, IDetector>> _detectorWrappers = [];
    private readonly List<Func<ISegmenter, ISegmenter>> _segmenterWrappers = [];
    private readonly List<Func<IInpainter, IInpainter>> _inpainterWrappers = [];

    /// <summary>Adds detection.</summary>
    public PipelineBuilder Detect(IDetector detector, DetectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(request);
        _steps.Add(w => new DetectStep(w.Detector(detector), request));
        return this;
    }

    /// <summary>Adds segmentation of the detected boxes, or of <paramref name="prompts"/> (clicks and boxes, one object each).</summary>
    public PipelineBuilder Segment(ISegmenter segmenter, SegmentOptions? options = null, IReadOnlyList<SamPrompt>? prompts = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        _steps.Add(w => new SegmentStep(w.Segmenter(segmenter), options ?? SegmentOptions.Default, prompts));
        return this;
    }

    /// <summary>Adds segment-everything (no prompt) with any segmenter.</summary>
    public PipelineBuilder SegmentEverything(ISegmenter segmenter, EverythingOptions? options = null, SegmentOptions? segment = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        _steps.Add(w => new SegmentEverythingStep(w.Segmenter(segmenter), options ?? EverythingOptions.Default, segment));
        return this;
    }

    /// <summary>Adds inpainting of the objects' masks.</summary>
    public PipelineBuilder Inpaint(IInpainter inpainter, InpaintOptions? options = null, IProgress<(int Step, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inpainter);
        _steps.Add(w => new InpaintStep(w.Inpainter(inpainter), options ?? InpaintOptions.Default, progress));
        return this;
    }

    /// <summary>Adds any step.</summary>
    public PipelineBuilder Add(IPipelineStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add(_ => step);
        return this;
    }

    /// <summary>Wraps every detector (e.g. <c>d =&gt; new MyCachingDetector(d)</c>).</summary>
    public PipelineBuilder Use(Func<IDetector, IDetector> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _detectorWrappers.Add(wrap);
        return this;
    }

    /// <summary>Wraps every segmenter.</summary>
    public PipelineBuilder Use(Func<ISegmenter, ISegmenter> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _segmenterWrappers.Add(wrap);
        return this;
    }

    /// <summary>Wraps every inpainter.</summary>
    public PipelineBuilder Use(Func<IInpainter, IInpainter> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _inpainterWrappers.Add(wrap);
        return this;
    }

    /// <summary>Times, traces and logs every stage call (per-image timings, ActivitySource and Meter "Grounded").</summary>
    public PipelineBuilder UseInstrumentation(ILoggerFactory? loggerFactory = null)
    {
        var logger = loggerFactory?.CreateLogger("Grounded.Pipeline");
        Use(d => new InstrumentedDetector(d, logger));
        Use(s => new InstrumentedSegmenter(s, logger));
        return Use(i => new InstrumentedInpainter(i, logger));
    }

    /// <summary>Builds the pipeline.</summary>
    public GroundedPipeline Build()
    {
        var wrappers = new Wrappers(this);
        return new([.. _steps.Select(make => make(wrappers))]);
    }

    /// <summary>Applies the wrappers once per stage instance, so a segmenter shared by two steps stays one stage.</summary>
    private sealed class Wrappers(PipelineBuilder builder)
    {
        private readonly Dictionary<object, object> _wrapped = new(ReferenceEqualityComparer.Instance);

        public IDetector Detector(IDetector stage) => Wrap(stage, builder._detectorWrappers);

        public ISegmenter Segmenter(ISegmenter stage) => Wrap(stage, builder._segmenterWrappers);

        public IInpainter Inpainter(IInpainter stage) => Wrap(stage, builder._inpainterWrappers);

        private T Wrap<T>(T stage, List<Func<T, T>> wrappers)
            where T : class
        {
            if (_wrapped.TryGetValue(stage, out var done))
            {
                return (T)done;
            }

            var result = wrappers.Aggregate(stage, (s, wrap) => wrap(s));
            _wrapped[stage] = result;
            return result;
        }
    }
}
