using Grounded.Imaging;
using Grounded.Results;

namespace Grounded.Pipeline;

/// <summary>
/// Runs steps in order over one image. Steps that only need the image are prefetched first so they overlap the
/// steps before them (the SAM encoder runs while Grounding DINO does). The pipeline owns no stage: the caller
/// that opened a model disposes it.
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

    /// <summary>Runs every step on an in-memory image.</summary>
    /// <param name="image">The image.</param>
    /// <param name="name">What results call it (a path, a file name; default "image").</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<ImageResult> RunAsync(RgbImage image, string? name = null, CancellationToken cancellationToken = default)
    {
        var context = new PipelineContext(image, name);
        await RunAsync(context, cancellationToken).ConfigureAwait(false);
        return context.ToResult();
    }

    /// <summary>Runs every step over a context the caller prepared (and may read afterwards).</summary>
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        StageTimer.Current = context.Timer;
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
            // A prefetched encode that no step awaited (no detections, a failed step) must finish before the caller
            // may dispose the segmenter, and must not fault unobserved.
            if (context.Embedding is { IsCompleted: false } pending)
            {
                await pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
            else if (context.Embedding is { IsFaulted: true } faulted)
            {
                _ = faulted.Exception;
            }
        }
    }
}
