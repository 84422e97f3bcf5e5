using Grounded.Agents;
using Microsoft.SemanticKernel;

namespace Grounded.SemanticKernel;

/// <summary>
/// Grounded for Semantic Kernel: the agent tools (detect_objects, segment_objects, segment_everything, cut_out,
/// remove_objects, replace_objects, describe_image) as one plugin. Every function returns compact JSON (counts,
/// labels, scores, boxes, areas, file paths); any failure, a bad argument included, comes back as {"error": "..."}
/// for the model to read, never as an exception that stops the host.
/// </summary>
public sealed class GroundedPlugin(GroundedAgentService service)
{
    /// <summary>The tools as AIFunctions (the same definitions the plugin and MCP use).</summary>
    public IReadOnlyList<GroundedToolFunction> Functions { get; } = GroundedAIFunctions.Create(service);

    /// <summary>The plugin to add to a kernel: <c>kernel.Plugins.Add(plugin.AsKernelPlugin())</c>.</summary>
    public KernelPlugin AsKernelPlugin(string name = "grounded") =>
        KernelPluginFactory.CreateFromFunctions(name, "Find, segment, cut out, remove or replace what a text prompt names in an image.", Functions.Select(f => f.AsKernelFunction()));

    /// <summary>Calls a tool by name with the arguments a model would give; returns its JSON answer.</summary>
    public async Task<string> InvokeAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var function = Functions.FirstOrDefault(f => f.Name == tool)
            ?? throw new InvalidRequestException($"No tool '{tool}'; the tools are {string.Join(", ", Functions.Select(f => f.Name))}.");
        return (string)(await function.InvokeAsync(new Microsoft.Extensions.AI.AIFunctionArguments(arguments.ToDictionary()), cancellationToken).ConfigureAwait(false))!;
    }
}
