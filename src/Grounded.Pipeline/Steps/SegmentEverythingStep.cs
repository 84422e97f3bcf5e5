using Grounded.Geometry;
using Grounded.Pipeline.Everything;
using Grounded.Results;
using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>Every object in the image, with no prompt: the automatic mask generator as a pipeline step, over any segmenter.</summary>
public sealed class SegmentEverythingStep(ISegmenter segmenter, EverythingOptions options, SegmentOptions? segment = null) : IPipelineStep
{
    private readonly AutomaticMaskGenerator _generator = new(segmenter, options, segment);

    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var masks = await _generator.GenerateAsync(context.Image, cancellationToken).ConfigureAwait(false);
        foreach (var m in masks)
        {
            // The reference's boxes have inclusive edges: [x, y, x + w, y + h] with w = x_max - x_min.
            var box = new BoxXyxy(m.BboxXywh[0], m.BboxXywh[1], m.BboxXywh[0] + m.BboxXywh[2], m.BboxXywh[1] + m.BboxXywh[3]);
            context.Objects.Add(new GroundedObject("object", string.Empty, m.PredictedIou, box)
            {
                Mask = m.Segmentation,
                PredictedIou = m.PredictedIou,
                Candidates = [(m.Segmentation, m.PredictedIou)],
                Stability = m.StabilityScore,
                Point = m.PointCoords,
            });
        }
    }
}
