using Grounded.Agents;
using System.Text.Json;
using Grounded.SemanticKernel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Grounded.Tests.Agents;

/// <summary>Every plugin function through a real Kernel, on the fixture images with the tiny fixture models.</summary>
public sealed class GroundedPluginTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Theory]
    [InlineData("detect_objects")]
    [InlineData("segment_objects")]
    [InlineData("cut_out")]
    public async Task Each_function_returns_compact_json_and_writes_its_files(string function)
    {
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.Add(fixture.Plugin.AsKernelPlugin());

        var result = await kernel.InvokeAsync("grounded", function, new KernelArguments { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control." });

        string json = result.GetValue<string>()!;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.False(root.TryGetProperty("error", out _), json);
        Assert.Equal(450, root.GetProperty("width").GetInt32());
        Assert.True(root.GetProperty("count").GetInt32() > 0);
        var first = root.GetProperty("objects")[0];
        Assert.Contains(first.GetProperty("label").GetString(), new[] { "a cat", "a remote control" });
        Assert.Equal(4, first.GetProperty("box").GetArrayLength());
        Assert.True(json.Length < 4000, "no mask data in the answer");
        var files = root.GetProperty("files");
        foreach (var file in files.EnumerateObject().SelectMany(f => f.Value.ValueKind == JsonValueKind.Array ? f.Value.EnumerateArray().Select(v => v.GetString()!) : [f.Value.GetString()!]))
        {
            Assert.True(File.Exists(file), file);
            Assert.StartsWith(fixture.Outputs, file, StringComparison.Ordinal);
        }

        string expectedKind = function switch { "detect_objects" => "overlay", "segment_objects" => "masks", _ => "cutouts" };
        Assert.True(files.TryGetProperty(expectedKind, out _));
        if (function != "detect_objects")
        {
            Assert.True(first.GetProperty("area").GetInt64() > 0);
        }
    }

    [Fact]
    public async Task Remove_and_replace_write_an_edited_image()
    {
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.Add(fixture.Plugin.AsKernelPlugin());

        var removed = await kernel.InvokeAsync("grounded", "remove_objects", new KernelArguments { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control." });
        var replaced = await kernel.InvokeAsync("grounded", "replace_objects", new KernelArguments { ["image"] = "cat.png", ["prompt"] = "a cat. a remote control.", ["replacement"] = "a red leather sofa" });

        foreach (var answer in new[] { removed.GetValue<string>()!, replaced.GetValue<string>()! })
        {
            using var doc = JsonDocument.Parse(answer);
            Assert.False(doc.RootElement.TryGetProperty("error", out _), answer);
            string edited = doc.RootElement.GetProperty("files").GetProperty("inpainted").GetString()!;
            Assert.True(File.Exists(edited));
            Assert.StartsWith(fixture.Outputs, edited, StringComparison.Ordinal);
        }

        var empty = await kernel.InvokeAsync("grounded", "replace_objects", new KernelArguments { ["image"] = "cat.png", ["prompt"] = "a cat.", ["replacement"] = " " });
        Assert.Contains("paint instead", empty.GetValue<string>()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thresholds_are_parameters_and_bad_values_come_back_as_errors()
    {
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.Add(fixture.Plugin.AsKernelPlugin());

        var none = await kernel.InvokeAsync("grounded", "detect_objects", new KernelArguments { ["image"] = "cat.png", ["prompt"] = "bear.", ["box_threshold"] = 0.9999f });
        var bad = await kernel.InvokeAsync("grounded", "detect_objects", new KernelArguments { ["image"] = "cat.png", ["prompt"] = "bear.", ["box_threshold"] = 3f });

        Assert.Equal(0, JsonDocument.Parse(none.GetValue<string>()!).RootElement.GetProperty("count").GetInt32());
        Assert.Equal("'box_threshold' must be a number from 0 to 1, not 3.", JsonDocument.Parse(bad.GetValue<string>()!).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Concurrent_calls_share_the_models_and_all_succeed()
    {
        var calls = Enumerable.Range(0, 6).Select(i => fixture.Plugin.InvokeAsync("segment_objects", new Dictionary<string, object?> { ["image"] = i % 2 == 0 ? "cat.png" : "synthetic.png", ["prompt"] = "a cat. a remote control." }));

        string[] answers = await Task.WhenAll(calls);

        Assert.All(answers, a => Assert.False(JsonDocument.Parse(a).RootElement.TryGetProperty("error", out _), a));
    }

    [Fact]
    public async Task Cancellation_reaches_the_call()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Plugin.InvokeAsync("detect_objects", new Dictionary<string, object?> { ["image"] = "cat.png", ["prompt"] = "bear." }, cts.Token));
    }

    [Fact]
    public void Registration_works_through_dependency_injection_and_as_ai_functions()
    {
        var services = new ServiceCollection();
        services.AddGrounded(o =>
        {
            o.OutputFolder = Path.Combine(fixture.Root, "di-out");
            o.AllowedReadFolders.Add(fixture.Inputs);
        });
        using var provider = services.BuildServiceProvider();

        var plugin = provider.GetRequiredService<GroundedPlugin>();
        var kernel = new Kernel(provider);
        kernel.Plugins.Add(plugin.AsKernelPlugin());

        // Without models installed (and no downloads) only the tool that needs none is offered.
        Assert.Same(provider.GetRequiredService<GroundedAgentService>(), provider.GetRequiredService<GroundedAgentService>());
        Assert.Equal(["describe_image"], kernel.Plugins["grounded"].Select(f => f.Name));

        // With the fixture models, every tool, the same in Semantic Kernel and as AIFunctions.
        string[] names = ["cut_out", "describe_image", "detect_objects", "remove_objects", "replace_objects", "segment_everything", "segment_objects"];
        var functions = GroundedAIFunctions.Create(fixture.Service);
        Assert.Equal(names, fixture.Plugin.AsKernelPlugin().Select(f => f.Name).Order());
        Assert.Equal(names, functions.Select(f => f.Name).Order());
        var schema = functions.Single(f => f.Name == "detect_objects").JsonSchema;
        Assert.Equal(1000, schema.GetProperty("properties").GetProperty("prompt").GetProperty("maxLength").GetInt32());
        Assert.Equal(1, schema.GetProperty("properties").GetProperty("box_threshold").GetProperty("maximum").GetDouble());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
    }
}
