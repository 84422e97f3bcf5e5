using Grounded.Agents;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Grounded.SemanticKernel;

/// <summary>The plugin's functions as Microsoft.Extensions.AI <see cref="AIFunction"/>s, for hosts without Semantic Kernel.</summary>
public static class GroundedAIFunctions
{
    /// <summary>detect_objects, segment_objects, cut_out, remove_objects and replace_objects, each an <see cref="AIFunction"/> named as in the plugin.</summary>
    public static IReadOnlyList<AIFunction> Create(GroundedPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // A KernelFunction is an AIFunction; created outside a plugin its name is the bare function name (inside one,
        // Semantic Kernel qualifies it as plugin_function).
        return
        [
            KernelFunctionFactory.CreateFromMethod(plugin.DetectObjectsAsync),
            KernelFunctionFactory.CreateFromMethod(plugin.SegmentObjectsAsync),
            KernelFunctionFactory.CreateFromMethod(plugin.CutOutAsync),
            KernelFunctionFactory.CreateFromMethod(plugin.RemoveObjectsAsync),
            KernelFunctionFactory.CreateFromMethod(plugin.ReplaceObjectsAsync),
        ];
    }
}
