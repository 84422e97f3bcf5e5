using Grounded.Agents;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Grounded.Tests.Agents;

/// <summary>
/// Semantic Kernel's automatic function calling, driven by a scripted chat model that asks for detect → segment →
/// cut_out and then answers; the test reads what the model received from each tool.
/// </summary>
public sealed class AgentLoopTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task A_scripted_model_detects_segments_and_cuts_out_through_automatic_function_calling()
    {
        var model = new ScriptedChatClient(
            ("detect_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control." }),
            ("segment_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control." }),
            ("cut_out", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control." }));
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.Add(fixture.Plugin.AsKernelPlugin());
        // Semantic Kernel's own function-invoking layer over the model, as a host wires any IChatClient.
        var chat = new ChatClientBuilder(model).UseKernelFunctionInvocation(null).Build().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory("You edit images with the grounded tools.");
        history.AddUserMessage("Cut the cat out of cat.png.");

        var reply = await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("Done: the cut-outs are written.", reply.Content);
        Assert.Equal(3, model.ToolResults.Count);
        using var detect = JsonDocument.Parse(model.ToolResults[0]);
        using var segment = JsonDocument.Parse(model.ToolResults[1]);
        using var cut = JsonDocument.Parse(model.ToolResults[2]);
        Assert.True(detect.RootElement.GetProperty("count").GetInt32() > 0);
        Assert.True(segment.RootElement.GetProperty("objects")[0].GetProperty("area").GetInt64() > 0);
        Assert.All(cut.RootElement.GetProperty("files").GetProperty("cutouts").EnumerateArray(), f => Assert.True(File.Exists(f.GetString())));
        Assert.Contains("grounded_detect_objects", model.OfferedTools);
    }

    [Fact]
    public async Task A_bad_argument_comes_back_as_text_the_model_reads_and_the_next_call_recovers()
    {
        var model = new ScriptedChatClient(
            ("detect_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat.", ["box_threshold"] = "very high" }),
            ("segment_objects", new Dictionary<string, object?> { ["prompt"] = "a cat.", ["colour"] = "red" }),
            ("detect_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control.", ["box_threshold"] = 0.95 }));
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.Add(fixture.Plugin.AsKernelPlugin());
        var chat = new ChatClientBuilder(model).UseKernelFunctionInvocation(null).Build().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory("You edit images with the grounded tools.");
        history.AddUserMessage("Find the cat in cat.png.");

        var reply = await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("Done: the cut-outs are written.", reply.Content);
        Assert.Equal(3, model.ToolResults.Count);
        Assert.Equal("'box_threshold' must be a number from 0 to 1, not the string \"very high\".", JsonDocument.Parse(model.ToolResults[0]).RootElement.GetProperty("error").GetString());
        Assert.Contains("'image' is missing", JsonDocument.Parse(model.ToolResults[1]).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(model.ToolResults[2]).RootElement.GetProperty("count").GetInt32() > 0, model.ToolResults[2]);
    }

    /// <summary>A test double of a chat model: each turn calls the next scripted tool, then it answers in text.</summary>
    private sealed class ScriptedChatClient(params (string Tool, Dictionary<string, object?> Arguments)[] script) : IChatClient
    {
        private int _turn;

        public List<string> ToolResults { get; } = [];

        public HashSet<string> OfferedTools { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var last = messages.Last();
            foreach (var result in last.Contents.OfType<Microsoft.Extensions.AI.FunctionResultContent>())
            {
                ToolResults.Add(result.Result?.ToString() ?? string.Empty);
            }

            foreach (var tool in options?.Tools ?? [])
            {
                OfferedTools.Add(tool.Name);
            }

            if (_turn < script.Length)
            {
                var (tool, arguments) = script[_turn];
                string name = options!.Tools!.Single(t => t.Name == tool || t.Name.EndsWith("_" + tool, StringComparison.Ordinal)).Name;
                var call = new Microsoft.Extensions.AI.FunctionCallContent($"call{_turn++}", name, arguments);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, new List<AIContent> { call })));
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Done: the cut-outs are written.")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
