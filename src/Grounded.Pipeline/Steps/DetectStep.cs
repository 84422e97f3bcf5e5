using Grounded.Detector;
using Grounded.Results;

namespace Grounded.Pipeline;

/// <summary>Finds the boxes the prompt names; each becomes an object (without a mask yet).</summary>
public sealed class DetectStep(IDetector detector, DetectionRequest request) : IPipelineStep
{
    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await detector.DetectAsync(context.Image, request, cancellationToken).ConfigureAwait(false);
        context.Detections = result;
        context.Warnings.AddRange(result.Warnings);
        // The detector's objects themselves: later steps give these same objects their masks.
        context.Objects.AddRange(result.Detections);
    }
}
