using System.Text.Json;

namespace Grounded.Agents.Tools;

/// <summary>
/// One agent tool, defined once: its name, words, parameter schema (with ranges and lengths), result schema, MCP
/// hints and the work it does. Semantic Kernel, Microsoft.Extensions.AI and MCP all expose these definitions.
/// </summary>
public sealed record ToolDefinition
{
    /// <summary>The tool's name, e.g. segment_objects.</summary>
    public required string Name { get; init; }

    /// <summary>A short human title.</summary>
    public required string Title { get; init; }

    /// <summary>What it does and returns, for the model.</summary>
    public required string Description { get; init; }

    /// <summary>The JSON schema of its arguments (an object; unknown properties are refused).</summary>
    public required JsonElement InputSchema { get; init; }

    /// <summary>The JSON schema of its result.</summary>
    public required JsonElement OutputSchema { get; init; }

    /// <summary>True when it only reads (writes nothing).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>True when calling it again with the same arguments has no further effect.</summary>
    public bool Idempotent { get; init; }

    /// <summary>The model kinds it needs installed (detector, segmenter, inpainter:sd).</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>Runs it on checked arguments; the result serialises to <see cref="OutputSchema"/>.</summary>
    public required Func<ToolArguments, IProgress<AgentProgress>?, CancellationToken, Task<object>> Run { get; init; }
}

/// <summary>How far a call has come.</summary>
/// <param name="Stage">What it is doing, in words.</param>
/// <param name="Fraction">0 to 1 when known.</param>
public sealed record AgentProgress(string Stage, double? Fraction = null);
