using Grounded.Agents;
using Grounded.Agents.Tools;
using Microsoft.Extensions.AI;

namespace Grounded.SemanticKernel;

/// <summary>The agent tools as Microsoft.Extensions.AI <see cref="AIFunction"/>s: the one definition Semantic Kernel and MCP expose too.</summary>
public static class GroundedAIFunctions
{
    /// <summary>Every tool whose models are installed (or may be downloaded), in order.</summary>
    public static IReadOnlyList<GroundedToolFunction> Create(GroundedAgentService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return [.. GroundedTools.Create(service).Where(t => t.Needs.All(service.IsAvailable)).Select(t => new GroundedToolFunction(t, service))];
    }
}
