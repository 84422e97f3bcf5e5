using System.Text.Json;
using System.Text.Json.Nodes;
using Grounded.Agents;
using Grounded.Agents.Tools;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Grounded.SemanticKernel;

/// <summary>
/// The agent tools over the Model Context Protocol (2025-06-18), built from the same <see cref="GroundedToolFunction"/>s
/// Semantic Kernel uses: titles and annotations, an output schema with structured content (the JSON also as text),
/// a resource link for every file written (readable through resources/read), the overlay as image content when
/// asked (include_image), progress notifications while a call runs, and cancellation. Failures are tool errors
/// (isError) with one readable line. Tools whose models are not installed are not listed.
/// </summary>
public static class GroundedMcpServer
{
    /// <summary>The URI prefix of output files as resources.</summary>
    public const string ResourcePrefix = "grounded://output/";

    /// <summary>Server options carrying the tools and the output resources.</summary>
    public static McpServerOptions CreateOptions(GroundedAgentService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var functions = GroundedAIFunctions.Create(service);
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "grounded", Title = "Grounded", Version = typeof(GroundedMcpServer).Assembly.GetName().Version?.ToString() ?? "1.0" },
            ServerInstructions =
                "Grounded finds, segments, cuts out, removes or replaces what a text prompt names in an image. " +
                $"Images must be inside: {string.Join(", ", service.Sandbox.ReadRoots)} (relative paths start in the first). " +
                "Outputs are written under new folders of the output folder; each answer links them as resources. " +
                (functions.Count < GroundedTools.Create(service).Count ? "Some tools are not listed because their models are not installed (grounded models pull)." : string.Empty),
            ToolCollection = [],
            Handlers = new McpServerHandlers
            {
                ListResourcesHandler = (request, ct) => ValueTask.FromResult(ListResources(service)),
                ReadResourceHandler = (request, ct) => ValueTask.FromResult(ReadResource(service, request.Params?.Uri)),
            },
        };
        foreach (var function in functions)
        {
            options.ToolCollection.Add(new GroundedMcpTool(function, service));
        }

        return options;
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

    /// <summary>The resource URI of a file in the output folder.</summary>
    internal static string UriOf(GroundedAgentService service, string path) =>
        ResourcePrefix + string.Join('/', Path.GetRelativePath(service.Sandbox.OutputRoot, path).Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));

    private static ListResourcesResult ListResources(GroundedAgentService service)
    {
        // The newest call folders' files, newest first: what a client may want to open again.
        var folders = new DirectoryInfo(service.Sandbox.OutputRoot).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.') && d.LinkTarget is null)
            .OrderByDescending(d => d.Name, StringComparer.Ordinal)
            .Take(20);
        var resources = folders.SelectMany(d => d.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            .Take(500)
            .Select(f => new Resource { Uri = UriOf(service, f.FullName), Name = Path.GetRelativePath(service.Sandbox.OutputRoot, f.FullName), MimeType = MimeOf(f.Name), Size = f.Length })
            .ToList();
        return new ListResourcesResult { Resources = resources };
    }

    private static ReadResourceResult ReadResource(GroundedAgentService service, string? uri)
    {
        if (uri is null || !uri.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        {
            throw new McpException($"Unknown resource '{uri}': Grounded's resources start with {ResourcePrefix}.");
        }

        string relative = string.Join(Path.DirectorySeparatorChar, uri[ResourcePrefix.Length..].Split('/').Select(Uri.UnescapeDataString));
        string root = service.Sandbox.OutputRoot;
        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')) || !File.Exists(full) || new FileInfo(full).LinkTarget is not null)
        {
            throw new McpException($"No resource '{uri}'.");
        }

        byte[] bytes = File.ReadAllBytes(full);
        string mime = MimeOf(full);
        ResourceContents contents = mime.StartsWith("image/", StringComparison.Ordinal)
            ? BlobResourceContents.FromBytes(bytes, uri, mime)
            : new TextResourceContents { Uri = uri, MimeType = mime, Text = System.Text.Encoding.UTF8.GetString(bytes) };
        return new ReadResourceResult { Contents = [contents] };
    }

    internal static string MimeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".json" => "application/json",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };

    /// <summary>One tool: the AIFunction's schema and answer, with MCP's annotations, structured content, links, image and progress.</summary>
    private sealed class GroundedMcpTool : McpServerTool
    {
        private readonly GroundedToolFunction _function;
        private readonly GroundedAgentService _service;

        public GroundedMcpTool(GroundedToolFunction function, GroundedAgentService service)
        {
            _function = function;
            _service = service;
            var definition = function.Definition;
            ProtocolTool = new Tool
            {
                Name = definition.Name,
                Title = definition.Title,
                Description = definition.Description,
                InputSchema = definition.InputSchema,
                OutputSchema = definition.OutputSchema,
                Annotations = new ToolAnnotations
                {
                    Title = definition.Title,
                    ReadOnlyHint = definition.ReadOnly,
                    DestructiveHint = false,
                    IdempotentHint = definition.Idempotent,
                    OpenWorldHint = service.Options.AllowDownload,
                },
            };
        }

        public override Tool ProtocolTool { get; }

        public override IReadOnlyList<object> Metadata => [];

        public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            var arguments = new AIFunctionArguments(request.Params?.Arguments?.ToDictionary(a => a.Key, a => (object?)a.Value) ?? []);
            var progress = request.Params?.ProgressToken is { } token ? new McpProgress(request.Server, token) : null;
            string answer;
            try
            {
                if (progress is not null)
                {
                    arguments.Context = new Dictionary<object, object?> { [GroundedToolFunction.ProgressKey] = progress };
                }

                answer = (string)(await _function.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false))!;
            }
            finally
            {
                if (progress is not null)
                {
                    await progress.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (GroundedToolFunction.IsError(answer, out string? message))
            {
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = message ?? "The call failed." }] };
            }

            var structured = JsonNode.Parse(answer)!;
            var content = new List<ContentBlock> { new TextContentBlock { Text = answer } };
            if (structured["files"] is JsonObject files)
            {
                foreach (var (kind, value) in files)
                {
                    foreach (string path in value is JsonArray many ? many.Select(v => v!.GetValue<string>()) : [value!.GetValue<string>()])
                    {
                        // A file another call's retention removed in the meantime is no longer linked.
                        var file = new FileInfo(path);
                        if (file.Exists)
                        {
                            content.Add(new ResourceLinkBlock { Uri = UriOf(_service, path), Name = $"{kind}: {file.Name}", MimeType = MimeOf(path), Size = file.Length });
                        }
                    }
                }

                bool includeImage = request.Params?.Arguments?.TryGetValue("include_image", out var include) == true && include.ValueKind == JsonValueKind.True;
                if (includeImage && (files["inpainted"] ?? files["overlay"]) is JsonValue shown && File.Exists(shown.GetValue<string>()))
                {
                    content.Add(ImageContentBlock.FromBytes(Overlay.Thumbnail(shown.GetValue<string>(), 1024), "image/png"));
                }
            }

            return new CallToolResult { Content = content, StructuredContent = JsonSerializer.SerializeToElement(structured) };
        }
    }

    /// <summary>
    /// Progress notifications for one call: each stage as it starts, and a heartbeat every second while nothing
    /// else is said, so a client's timeout sees the call alive. Values only grow, as the protocol requires.
    /// </summary>
    private sealed class McpProgress : IProgress<AgentProgress>, IAsyncDisposable
    {
        private readonly McpServer _server;
        private readonly ProgressToken _token;
        private readonly Timer _heartbeat;
        private readonly Lock _lock = new();
        private Task _sending = Task.CompletedTask;
        private float _value;
        private string _stage = "starting";

        public McpProgress(McpServer server, ProgressToken token)
        {
            _server = server;
            _token = token;
            _heartbeat = new Timer(_ => Send(null), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        public void Report(AgentProgress value) => Send(value);

        public async ValueTask DisposeAsync()
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
            Task last;
            lock (_lock)
            {
                last = _sending;
            }

            await last.ConfigureAwait(false);
        }

        private void Send(AgentProgress? value)
        {
            lock (_lock)
            {
                if (value is not null)
                {
                    _stage = value.Stage;
                }

                // Strictly growing: a heartbeat adds a hundredth below 100, and 100 (done) is said once.
                float next = value?.Fraction is double f && f >= 1 ? 100 : Math.Min(Math.Max(_value + 0.01f, (float)((value?.Fraction ?? 0) * 100)), 99.99f);
                if (_value >= 100 || next <= _value)
                {
                    return;
                }

                _value = next;
                var notification = new ProgressNotificationValue { Progress = _value, Total = 100, Message = _stage };

                // Sent one after another, never blocking the work; a client gone away is not the call's failure.
                _sending = _sending.ContinueWith(
                    async _ =>
                    {
                        try
                        {
                            await _server.NotifyProgressAsync(_token, notification).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }
        }
    }
}
