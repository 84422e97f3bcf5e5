using Grounded.Agents;
using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Grounded.SemanticKernel;

/// <summary>
/// The same tools over the Model Context Protocol: detect_objects, segment_objects, cut_out, remove_objects and replace_objects with arguments
/// <c>image</c> and <c>prompt</c> (and <c>replacement</c>). Failures are tool errors (isError) with a readable message.
/// </summary>
public static class GroundedMcpServer
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Server options carrying the tools.</summary>
    public static McpServerOptions CreateOptions(GroundedAgentService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "grounded", Version = typeof(GroundedMcpServer).Assembly.GetName().Version?.ToString() ?? "1.0" },
            ServerInstructions = "Grounded finds, segments, cuts out, removes or replaces what a text prompt names in an image. Image paths must be inside the allowed input folders; outputs are written to the output folder and their paths returned.",
            ToolCollection = [],
        };
        options.ToolCollection.Add(Tool("detect_objects", "Finds the objects a text prompt names in an image: labels, scores, boxes (x0, y0, x1, y1 pixels) and an overlay path.",
            (string image, string prompt, CancellationToken ct) => service.DetectAsync(image, prompt, null, null, ct)));
        options.ToolCollection.Add(Tool("segment_objects", "Finds the objects a text prompt names and makes a mask for each: labels, scores, boxes, areas and PNG paths.",
            (string image, string prompt, CancellationToken ct) => service.SegmentAsync(image, prompt, null, null, ct)));
        options.ToolCollection.Add(Tool("cut_out", "Cuts out the objects a text prompt names as transparent PNGs cropped to each object.",
            (string image, string prompt, CancellationToken ct) => service.CutOutAsync(image, prompt, ct)));
        options.ToolCollection.Add(Tool("remove_objects", "Removes the objects a text prompt names and fills the hole; returns the edited image's path.",
            (string image, string prompt, CancellationToken ct) => service.RemoveAsync(image, prompt, ct)));
        options.ToolCollection.Add(ReplaceTool(service));
        return options;
    }

    private static McpServerTool ReplaceTool(GroundedAgentService service)
    {
        async Task<CallToolResult> Invoke(
            [Description("Path of the image, inside the allowed input folders.")] string image,
            [Description("What to replace, e.g. \"the sofa\".")] string prompt,
            [Description("What to paint instead, e.g. \"a red leather chair\".")] string replacement,
            CancellationToken cancellationToken) =>
            await Answer(() => service.ReplaceAsync(image, prompt, replacement, cancellationToken)).ConfigureAwait(false);

        return McpServerTool.Create(Invoke, new McpServerToolCreateOptions { Name = "replace_objects", Description = "Replaces the objects a text prompt names with something described in words (Stable Diffusion inpainting); returns the edited image's path." });
    }

    private static async Task<CallToolResult> Answer(Func<Task<AgentResult>> run)
    {
        try
        {
            var result = await run().ConfigureAwait(false);
            return new CallToolResult { Content = [new TextContentBlock { Text = JsonSerializer.Serialize(result, Json) }] };
        }
        catch (Exception ex) when (ex is GroundedException or Settings.InvalidSettingException)
        {
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = ex.Message.Split('\n')[0] }] };
        }
    }

    /// <summary>Serves the tools over stdio until the client disconnects or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunStdioAsync(GroundedAgentService service, CancellationToken cancellationToken)
    {
        var options = CreateOptions(service);
        var transport = new StdioServerTransport(options);
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, options);
            await using (server.ConfigureAwait(false))
            {
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static McpServerTool Tool(string name, string description, Func<string, string, CancellationToken, Task<AgentResult>> run)
    {
        async Task<CallToolResult> Invoke(
            [Description("Path of the image, inside the allowed input folders.")] string image,
            [Description("What to find: \"the bear\" or classes separated by '.', like \"dog . cat\".")] string prompt,
            CancellationToken cancellationToken) =>
            await Answer(() => run(image, prompt, cancellationToken)).ConfigureAwait(false);

        return McpServerTool.Create(Invoke, new McpServerToolCreateOptions { Name = name, Description = description });
    }
}
