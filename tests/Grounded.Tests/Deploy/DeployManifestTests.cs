using Grounded.Cli;
using Grounded.Recipes;
using Grounded.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Grounded.Tests.Deploy;

/// <summary>deploy/: the Kubernetes Indexed Job and its merge Job are what the README promises, and their command lines are real.</summary>
public sealed class DeployManifestTests
{
    private static readonly string Deploy = Path.GetFullPath(Path.Combine(Fixtures.Root, "..", "..", "deploy"));

    [Fact]
    public void The_labelling_job_is_an_indexed_job_whose_shards_come_from_its_completion_index()
    {
        var job = Document("kubernetes/job.yaml");
        var spec = job.Map("spec");

        Assert.Equal("Job", job.Text("kind"));
        Assert.Equal("Indexed", spec.Text("completionMode"));
        int completions = spec.Int("completions"), parallelism = spec.Int("parallelism");
        Assert.True(completions >= 8 * parallelism, $"completions {completions} should be many times parallelism {parallelism}");
        Assert.True(spec.Int("backoffLimitPerIndex") >= 1);

        // Bad input fails its index without retries.
        var failIndex = spec.Map("podFailurePolicy").Seq("rules").Select(r => (YamlMappingNode)r).Single(r => r.Text("action") == "FailIndex");
        var codes = failIndex.Map("onExitCodes").Seq("values").Select(v => int.Parse(((YamlScalarNode)v).Value!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(3, codes);

        var pod = spec.Map("template").Map("spec");
        Assert.Equal("Never", pod.Text("restartPolicy"));
        Assert.Equal("true", pod.Map("securityContext").Text("runAsNonRoot"));
        var init = (YamlMappingNode)Assert.Single(pod.Seq("initContainers"));
        Assert.Equal(["models", "pull"], AcceptedCommand(init).Take(2));

        var container = (YamlMappingNode)Assert.Single(pod.Seq("containers"));
        var command = AcceptedCommand(container);
        Assert.Equal("segment", command[0]);
        Assert.Contains("--shard-from-env", command);
        var env = container.Seq("env").Select(e => (YamlMappingNode)e).ToDictionary(e => e.Text("name"), e => e.Text("value"));
        Assert.Equal(completions.ToString(System.Globalization.CultureInfo.InvariantCulture), env["GROUNDED_SHARD_COUNT"]);

        // Every mount has its volume; the config map's settings file is one the CLI reads.
        var volumes = pod.Seq("volumes").Select(v => ((YamlMappingNode)v).Text("name")).ToHashSet();
        Assert.All(container.Seq("volumeMounts").Concat(init.Seq("volumeMounts")), m => Assert.Contains(((YamlMappingNode)m).Text("name"), volumes));
        Assert.Contains(pod.Seq("volumes").Select(v => (YamlMappingNode)v), v => v.Children.ContainsKey("configMap"));
        var settings = ConfigLoader.Parse(Document("kubernetes/config.yaml").Map("data").Text("config.yaml"), "config.yaml");
        Assert.Equal(0.35f, settings.Detect.BoxThreshold);
    }

    [Fact]
    public void The_merge_job_and_the_gpu_overlay_are_complete()
    {
        var merge = Document("kubernetes/merge-job.yaml");
        var container = (YamlMappingNode)Assert.Single(merge.Map("spec").Map("template").Map("spec").Seq("containers"));
        Assert.Equal(["dataset", "merge"], AcceptedCommand(container).Take(2));

        var patch = Document("kubernetes/gpu/gpu-patch.yaml");
        var gpu = (YamlMappingNode)Assert.Single(patch.Map("spec").Map("template").Map("spec").Seq("containers"));
        Assert.Equal("1", gpu.Map("resources").Map("limits").Text("nvidia.com/gpu"));
        Assert.Contains("../", Document("kubernetes/gpu/kustomization.yaml").Seq("resources").Select(r => ((YamlScalarNode)r).Value));
        foreach (var resource in Document("kubernetes/kustomization.yaml").Seq("resources"))
        {
            Assert.True(File.Exists(Path.Combine(Deploy, "kubernetes", ((YamlScalarNode)resource).Value!)));
        }
    }

    [Theory]
    [InlineData("docker/Dockerfile")]
    [InlineData("docker/Dockerfile.cuda")]
    public void The_images_build_in_stages_and_run_as_a_user(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, file));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish src/Grounded.Cli", StringComparison.Ordinal));
        string user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user);
        Assert.NotEqual("USER 0", user);
        Assert.Contains("ENTRYPOINT [\"grounded\"]", lines);
    }

    /// <summary>The container's command after "grounded", checked by the CLI's own parser.</summary>
    private static List<string> AcceptedCommand(YamlMappingNode container)
    {
        var command = container.Seq("command").Select(c => ((YamlScalarNode)c).Value!).ToList();
        Assert.Equal("grounded", command[0]);
        var args = command.Skip(1).ToList();
        var parse = CliApp.Build(TextWriter.Null, TextWriter.Null).Parse(args);
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return args;
    }

    private static YamlMappingNode Document(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Deploy, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}

/// <summary>Reading YAML mappings by key.</summary>
internal static class YamlNodes
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node[new YamlScalarNode(key)];

    public static IEnumerable<YamlNode> Seq(this YamlMappingNode node, string key) => ((YamlSequenceNode)node[new YamlScalarNode(key)]).Children;

    public static string Text(this YamlMappingNode node, string key) => ((YamlScalarNode)node[new YamlScalarNode(key)]).Value!;

    public static int Int(this YamlMappingNode node, string key) => int.Parse(node.Text(key), System.Globalization.CultureInfo.InvariantCulture);
}
