using Grounded.Agents;
using System.IO.Pipelines;
using System.Text.Json;
using Grounded.SemanticKernel;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Grounded.Tests.Agents;

/// <summary>An in-process MCP client lists Grounded's tools and calls them over a stream transport.</summary>
public sealed class McpServerTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task A_client_lists_the_tools_and_calls_one()
    {
        await using var session = await McpSession.StartAsync(fixture.Service);

        var tools = await session.Client.ListToolsAsync();
        var result = await session.Client.CallToolAsync("segment_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control." });

        Assert.Equal(["cut_out", "describe_image", "detect_objects", "remove_objects", "replace_objects", "segment_everything", "segment_objects"], tools.Select(t => t.Name).Order());
        Assert.Contains("replacement", tools.Single(t => t.Name == "replace_objects").JsonSchema.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("\"image\"", tools.Single(t => t.Name == "detect_objects").JsonSchema.GetRawText(), StringComparison.Ordinal);
        Assert.NotEqual(true, result.IsError);
        using var doc = JsonDocument.Parse(((TextContentBlock)result.Content[0]).Text);
        Assert.True(doc.RootElement.GetProperty("count").GetInt32() > 0);
    }

    [Fact]
    public async Task A_refused_path_is_a_tool_error_the_model_can_read()
    {
        await using var session = await McpSession.StartAsync(fixture.Service);

        var result = await session.Client.CallToolAsync("detect_objects", new Dictionary<string, object?> { ["image"] = "../../etc/passwd", ["prompt"] = "bear" });

        Assert.True(result.IsError);
        Assert.Contains("outside the allowed input folders", ((TextContentBlock)result.Content[0]).Text, StringComparison.Ordinal);
    }

    private sealed class McpSession : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _server = Task.CompletedTask;

        public McpClient Client { get; private set; } = null!;

        public static async Task<McpSession> StartAsync(GroundedAgentService service)
        {
            var session = new McpSession();
            var toServer = new Pipe();
            var toClient = new Pipe();
            var options = GroundedMcpServer.CreateOptions(service);
            var server = McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), options);
            session._server = server.RunAsync(session._stop.Token);
            session.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
            return session;
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await _stop.CancelAsync();
            try
            {
                await _server.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }
    }
}
