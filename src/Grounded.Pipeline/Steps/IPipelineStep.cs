namespace Grounded.Pipeline;

/// <summary>One stage of the pipeline. A step knows nothing of the steps after it.</summary>
public interface IPipelineStep
{
    /// <summary>Starts work that needs only the image, before earlier steps finish (e.g. the SAM encoder).</summary>
    void Prefetch(PipelineContext context, CancellationToken cancellationToken)
    {
    }

    /// <summary>Runs the step.</summary>
    Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default);
}
