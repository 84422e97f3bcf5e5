using Grounded.Pipeline;

namespace Grounded.Recipes;

/// <summary>A recipe turned into a pipeline; owns the models it opened. Dispose it.</summary>
public sealed class BuiltRecipe(GroundedPipeline pipeline, IReadOnlyList<IDisposable> owned, bool multimask) : IDisposable
{
    /// <summary>The pipeline.</summary>
    public GroundedPipeline Pipeline { get; } = pipeline;

    /// <summary>Whether a segment step keeps every candidate (the JSON then lists them).</summary>
    public bool Multimask { get; } = multimask;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in owned)
        {
            d.Dispose();
        }
    }
}
