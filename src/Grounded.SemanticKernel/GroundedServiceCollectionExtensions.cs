using Grounded.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grounded.SemanticKernel;

/// <summary>Registers Grounded for hosts: the shared agent service (models, sandbox, pipelines) and the plugin.</summary>
public static class GroundedServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="GroundedAgentOptions"/>, <see cref="GroundedAgentService"/> (a singleton: models load once) and
    /// <see cref="GroundedPlugin"/>. Add the plugin to a kernel with
    /// <c>kernel.Plugins.Add(sp.GetRequiredService&lt;GroundedPlugin&gt;().AsKernelPlugin())</c>.
    /// </summary>
    public static IServiceCollection AddGrounded(this IServiceCollection services, Action<GroundedAgentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new GroundedAgentOptions();
        configure(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new GroundedAgentService(sp.GetRequiredService<GroundedAgentOptions>()));
        services.TryAddSingleton(sp => new GroundedPlugin(sp.GetRequiredService<GroundedAgentService>()));
        return services;
    }
}
