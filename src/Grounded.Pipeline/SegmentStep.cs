using Grounded.Pipeline.Results;
using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>
/// Turns every object's box (or the given click prompts) into masks. The image embedding is prefetched, so the
/// encoder overlaps the detector; all boxes then go to the decoder in one request.
/// </summary>
public sealed class SegmentStep(ISegmenter segmenter, SegmentStepOptions options) : IPipelineStep
{
    /// <inheritdoc />
    public void Prefetch(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Embedding ??= context.Timer.TimeAsync("encode", () => segmenter.EncodeAsync(context.Image, cancellationToken));
    }

    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prompts = options.Prompts ?? [.. context.Objects.Select(o => SamPrompt.FromBox(o.Box))];
        if (prompts.Count == 0)
        {
            return;
        }

        Prefetch(context, cancellationToken);
        var embedding = await context.Embedding!.ConfigureAwait(false);
        var result = await context.Timer.TimeAsync("decode", () => segmenter.SegmentAsync(embedding, new SegmentationRequest { Prompts = prompts, Multimask = options.Multimask }, cancellationToken)).ConfigureAwait(false);
        bool fromDetector = options.Prompts is null;
        for (int i = 0; i < prompts.Count; i++)
        {
            var segmented = result.Objects[i];
            var best = segmented.Best;
            var candidates = segmented.Candidates.Select(c => (c.Mask, c.PredictedIou)).ToList();
            if (fromDetector)
            {
                context.Objects[i] = context.Objects[i] with { Mask = best.Mask, PredictedIou = best.PredictedIou, Candidates = candidates };
            }
            else
            {
                var box = prompts[i].Box ?? best.Mask.BoundingBox() ?? default;
                context.Objects.Add(new SegmentedInstance("object", string.Empty, best.PredictedIou, box, best.Mask, best.PredictedIou, candidates));
            }
        }
    }
}
