using Grounded.Imaging;
using Grounded.Pipeline.Results;

namespace Grounded.Pipeline;

/// <summary>
/// Runs steps in order over one image. Steps that only need the image are prefetched first so they overlap the
/// steps before them (the SAM encoder runs while Grounding DINO does).
/// </summary>
public sealed class GroundedPipeline
{
    private readonly IReadOnlyList<IPipelineStep> _steps;

    /// <summary>Creates a pipeline from steps.</summary>
    public GroundedPipeline(IReadOnlyList<IPipelineStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _steps = steps;
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IPipelineStep> Steps => _steps;

    /// <summary>A builder: <c>GroundedPipeline.Builder().Detect(...).Segment(...).Build()</c>.</summary>
    public static PipelineBuilder Builder() => new();

    /// <summary>Runs every step on one image.</summary>
    public async Task<ImageResult> RunAsync(RgbImage image, string imagePath, CancellationToken cancellationToken = default)
    {
        var context = new PipelineContext(image, imagePath);
        await RunAsync(context, cancellationToken).ConfigureAwait(false);
        return context.ToResult();
    }

    /// <summary>Runs every step over a context the caller prepared (and may read afterwards).</summary>
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var step in _steps)
        {
            step.Prefetch(context, cancellationToken);
        }

        try
        {
            foreach (var step in _steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await step.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // A prefetched encode that no step awaited (no detections) must not fault unobserved.
            if (context.Embedding is { IsCompleted: false } pending)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }
}
