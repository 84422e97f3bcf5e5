using System.Collections.Concurrent;
using System.Text.Json;
using Grounded.Agents.Tools;
using Grounded.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SixLabors.ImageSharp;

namespace Grounded.Tests.Agents;

/// <summary>The real <c>grounded mcp</c> process, driven over stdio by the MCP C# SDK's client, as a desktop agent drives it.</summary>
public sealed class McpProcessTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("grounded-mcp-").FullName;
    private McpClient _client = null!;

    private string Inputs => Path.Combine(_root, "inputs");

    private string Outputs => Path.Combine(_root, "outputs");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Inputs);
        foreach (string name in new[] { "cat", "synthetic" })
        {
            File.Copy(Fixtures.Path("images", name + ".png"), Path.Combine(Inputs, name + ".png"));
        }

        _client = await StartAsync("--segmenter", Fixtures.Path("sam"));
    }

    [Fact]
    public async Task Tools_have_annotations_and_output_schemas_and_their_results_fit_them()
    {
        var tools = await _client.ListToolsAsync();

        Assert.Equal(["cut_out", "describe_image", "detect_objects", "remove_objects", "segment_everything", "segment_objects"], tools.Select(t => t.Name).Order());
        Assert.All(tools, t =>
        {
            Assert.NotNull(t.ProtocolTool.OutputSchema);
            Assert.NotNull(t.ProtocolTool.Annotations?.Title);
            Assert.False(t.ProtocolTool.Annotations!.DestructiveHint);
            Assert.False(t.ProtocolTool.Annotations.OpenWorldHint);
        });
        Assert.True(tools.Single(t => t.Name == "describe_image").ProtocolTool.Annotations!.ReadOnlyHint);

        foreach (var (tool, arguments) in Calls())
        {
            var result = await _client.CallToolAsync(tool, arguments);
            Assert.True(result.IsError != true, $"{tool}: {Text(result)}");
            var schema = tools.Single(t => t.Name == tool).ProtocolTool.OutputSchema!.Value;
            Assert.Null(JsonSchemaCheck.Problem(schema, result.StructuredContent!.Value));
            Assert.Equal(JsonSerializer.Serialize(result.StructuredContent), JsonSerializer.Serialize(JsonDocument.Parse(Text(result)).RootElement));
        }
    }

    [Fact]
    public async Task Files_come_as_resource_links_that_read_back_and_the_overlay_as_a_small_image()
    {
        var result = await _client.CallToolAsync("segment_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control.", ["box_threshold"] = 0.95, ["text_threshold"] = 0.9, ["include_image"] = true });

        var links = result.Content.OfType<ResourceLinkBlock>().ToList();
        Assert.Contains(links, l => l.Name.StartsWith("overlay", StringComparison.Ordinal));
        Assert.Contains(links, l => l.Name.StartsWith("masks", StringComparison.Ordinal));
        Assert.All(links, l => Assert.StartsWith("grounded://output/", l.Uri, StringComparison.Ordinal));
        var read = await _client.ReadResourceAsync(links.First(l => l.Name.StartsWith("overlay", StringComparison.Ordinal)).Uri);
        var blob = Assert.IsType<BlobResourceContents>(Assert.Single(read.Contents));
        Assert.Equal(450, Image.Identify(blob.DecodedData.ToArray()).Width);
        var image = Assert.Single(result.Content.OfType<ImageContentBlock>());
        Assert.Equal("image/png", image.MimeType);
        Assert.True(Image.Identify(image.DecodedData.ToArray()).Width <= 1024);
        await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync("grounded://output/../inputs/cat.png").AsTask());
    }

    [Fact]
    public async Task A_slow_call_sends_progress_and_a_cancelled_one_writes_nothing()
    {
        var notes = new ConcurrentQueue<ProgressNotificationValue>();
        var slow = await _client.CallToolAsync("segment_everything", new Dictionary<string, object?> { ["image"] = "cat.png" }, new SyncProgress(notes));

        Assert.True(slow.IsError != true, Text(slow));
        Assert.True(notes.Count >= 2, $"{notes.Count} progress notifications");
        // Each notification carries a new, larger value (the client may hand them over out of order).
        Assert.Equal(notes.Count, notes.Select(n => n.Progress).Distinct().Count());
        Assert.All(notes, n => Assert.False(string.IsNullOrEmpty(n.Message)));

        var before = Directory.GetDirectories(Outputs).Length;
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(800)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.CallToolAsync("segment_everything", new Dictionary<string, object?> { ["image"] = "synthetic.png", ["points_per_side"] = 64 }, cancellationToken: cancel.Token).AsTask());
        }

        // The server stops the call, removes what it had staged, and answers the next one.
        var next = await _client.CallToolAsync("describe_image", new Dictionary<string, object?> { ["image"] = "cat.png" });
        await Task.Delay(1500);
        Assert.True(next.IsError != true, Text(next));
        Assert.Equal(before, Directory.GetDirectories(Outputs).Length);
    }

    [Theory]
    [InlineData("{\"image\": \"cat.png\", \"prompt\": \"a cat.\", \"box_treshold\": 0.5}", "Unknown argument 'box_treshold'; allowed: image, prompt, box_threshold")]
    [InlineData("{\"image\": \"cat.png\", \"prompt\": \"a cat.\", \"box_threshold\": \"high\"}", "'box_threshold' must be a number from 0 to 1, not the string \"high\".")]
    [InlineData("{\"prompt\": \"a cat.\"}", "'image' is missing")]
    [InlineData("{\"image\": \"cat.png\", \"prompt\": 7}", "'prompt' must be a string")]
    [InlineData("{\"image\": \"cat\\u0000.png\", \"prompt\": \"a cat.\"}", "NUL character")]
    [InlineData("{\"image\": \"loop.png\", \"prompt\": \"a cat.\"}", "symbolic links loop")]
    [InlineData("{\"image\": \"fifo.png\", \"prompt\": \"a cat.\"}", "not a regular file")]
    [InlineData("{\"image\": \"../outputs\", \"prompt\": \"a cat.\"}", "outside the allowed input folders")]
    public async Task Bad_calls_are_readable_tool_errors_and_the_server_stays_up(string arguments, string expected)
    {
        File.CreateSymbolicLink(Path.Combine(Inputs, "loop.png"), Path.Combine(Inputs, "loop2.png"));
        File.CreateSymbolicLink(Path.Combine(Inputs, "loop2.png"), Path.Combine(Inputs, "loop.png"));
        Assert.Equal(0, (await Processes.RunAsync("mkfifo", Path.Combine(Inputs, "fifo.png"))).Code);
        var outside = Snapshot();

        var call = _client.CallToolAsync("detect_objects", JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!).AsTask();
        var result = await call.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain(_root, Text(result), StringComparison.Ordinal);
        Assert.Equal(outside, Snapshot());
        var next = await _client.CallToolAsync("describe_image", new Dictionary<string, object?> { ["image"] = "cat.png" });
        Assert.True(next.IsError != true, Text(next));
    }

    [Fact]
    public async Task A_megabyte_prompt_is_refused_without_echo()
    {
        var result = await _client.CallToolAsync("detect_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = new string('a', 1 << 20) });

        Assert.True(result.IsError);
        Assert.True(Text(result).Length < 300, Text(result));
        Assert.Contains("1048576 characters long; at most 1000", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_whose_models_are_missing_are_not_listed_and_never_downloaded()
    {
        await using var bare = await StartAsync("--segmenter", Path.Combine(_root, "no-such-model"));

        var tools = await bare.ListToolsAsync();

        Assert.Equal(["describe_image", "detect_objects"], tools.Select(t => t.Name).Order());
        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => bare.CallToolAsync("segment_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat." }).AsTask());
        Assert.Contains("segment_objects", unknown.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "outputs")));
    }

    private IEnumerable<(string Tool, Dictionary<string, object?> Arguments)> Calls()
    {
        var thresholds = new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control.", ["box_threshold"] = 0.95, ["text_threshold"] = 0.9 };
        yield return ("detect_objects", thresholds);
        yield return ("segment_objects", thresholds);
        yield return ("segment_objects", new() { ["image"] = "cat.png", ["boxes"] = new[] { new[] { 10, 10, 200, 150 } } });
        yield return ("segment_objects", new() { ["image"] = "cat.png", ["points"] = new[] { new[] { 100, 100, 1 }, new[] { 300, 200, 0 } } });
        yield return ("cut_out", thresholds);
        yield return ("remove_objects", thresholds);
        yield return ("segment_everything", new() { ["image"] = "synthetic.png", ["points_per_side"] = 8 });
        yield return ("describe_image", new() { ["image"] = "cat.png" });
    }

    private async Task<McpClient> StartAsync(params string[] more)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [CliProcess.Dll, "mcp", "--allow-read", Inputs, "--output", Outputs, "--detector", Fixtures.Path("gdino"), "--device", "cpu", "--threads", "1", .. more],
            Name = "grounded",
        });
        return await McpClient.CreateAsync(transport);
    }

    private string[] Snapshot() =>
        [.. Directory.EnumerateFileSystemEntries(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(p => !p.StartsWith(Outputs, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        Directory.Delete(_root, true);
    }

    private sealed class SyncProgress(ConcurrentQueue<ProgressNotificationValue> into) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => into.Enqueue(value);
    }
}
