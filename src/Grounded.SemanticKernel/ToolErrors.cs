using Grounded.Agents;

namespace Grounded.SemanticKernel;

/// <summary>
/// Every failure of a tool call as one line the model can act on, without host paths: the same text in Semantic
/// Kernel, Microsoft.Extensions.AI and MCP. Only the caller's own cancellation passes through as an exception.
/// </summary>
internal static class ToolErrors
{
    public static string Message(Exception ex, GroundedAgentService service) => Scrub(ex switch
    {
        GroundedException or Settings.InvalidSettingException => FirstLine(ex.Message),
        ArgumentOutOfRangeException range => FirstLine(range.Message),
        _ => $"The call failed inside the server ({ex.GetType().Name}); try again, or with a smaller image.",
    }, service);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>Replaces the server's own folders by what the caller knows them as.</summary>
    private static string Scrub(string message, GroundedAgentService service)
    {
        message = message.Replace(service.Sandbox.OutputRoot, "<output>", StringComparison.Ordinal);
        foreach (string root in service.Sandbox.ReadRoots)
        {
            message = message.Replace(root, "<input>", StringComparison.Ordinal);
        }

        if (service.Options.ModelsFolder is { Length: > 0 } models)
        {
            message = message.Replace(Path.GetFullPath(models), "<models>", StringComparison.Ordinal);
        }

        return message.Length > 500 ? message[..500] + "…" : message;
    }
}
