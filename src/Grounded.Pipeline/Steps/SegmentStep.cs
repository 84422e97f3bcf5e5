using Grounded.Results;
using Grounded.Segmenter;

namespace Grounded.Pipeline;

/// <summary>
/// Turns every object's box (or the given click prompts) into masks. The image embedding is prefetched, so the
/// encoder overlaps the detector; all boxes then go to the decoder in one request.
/// </summary>
/// <param name="segmenter">The segmenter (stays the caller's).</param>
/// <param name="options">Multimask and mask threshold.</param>
/// <param name="prompts">Click/box prompts given directly (no detector): one object per prompt.</param>
public sealed class SegmentStep(ISegmenter segmenter, SegmentOptions options, IReadOnlyList<SamPrompt>? prompts = null) : IPipelineStep
{
    /// <inheritdoc />
    public void Prefetch(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Embedding ??= segmenter.EncodeAsync(context.Image, cancellationToken);
    }

    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Each detected object is carried to its mask by identity: the list may hold other steps' objects too.
        var targets = prompts is null ? [.. context.Objects.Where(o => o.Mask is null)] : new List<GroundedObject>();
        IReadOnlyList<SamPrompt> requestPrompts = [.. targets.Select(o => SamPrompt.FromBox(o.Box))];
        if (prompts is not null)
        {
            var (fitted, warnings) = PromptGeometry.Fit(prompts, context.Image.Width, context.Image.Height);
            requestPrompts = fitted;
            context.Warnings.AddRange(warnings);
        }

        if (requestPrompts.Count == 0)
        {
            return;
        }

        Prefetch(context, cancellationToken);
        var embedding = await context.Embedding!.ConfigureAwait(false);
        var result = await segmenter.SegmentAsync(embedding, new SegmentationRequest { Prompts = requestPrompts, Options = options }, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < requestPrompts.Count; i++)
        {
            var segmented = result.Objects[i];
            var best = segmented.Best;
            var candidates = segmented.Candidates.Select(c => (c.Mask, c.PredictedIou)).ToList();
            if (prompts is null)
            {
                context.Replace(targets[i], targets[i] with { Mask = best.Mask, PredictedIou = best.PredictedIou, Candidates = candidates });
            }
            else
            {
                var box = requestPrompts[i].Box ?? best.Mask.BoundingBox() ?? default;
                context.Objects.Add(new GroundedObject("object", string.Empty, best.PredictedIou, box) { Mask = best.Mask, PredictedIou = best.PredictedIou, Candidates = candidates });
            }
        }
    }
}
