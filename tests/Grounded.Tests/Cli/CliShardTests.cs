using System.Text.Json;
using System.Text.Json.Nodes;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>
/// Sharded runs as Kubernetes runs them: several processes over one manifest into one folder, each image done
/// exactly once, a shard killed with SIGKILL and started again, and the merged dataset equal to a single run's.
/// </summary>
public sealed class CliShardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-shards-").FullName;

    private static readonly string[] Models =
    [
        "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--device", "cpu", "--threads", "1",
        "--caption-mode", "raw", "--box-threshold", "0.9", "--text-threshold", "0.8", "--format", "json,coco,yolo",
    ];

    [Fact]
    public async Task Shard_processes_over_one_manifest_do_every_image_once_and_merge_to_the_single_run()
    {
        string manifest = WriteManifest(8);
        string single = Path.Combine(_dir, "single"), shared = Path.Combine(_dir, "shared");
        var whole = await CliRunner.RunAsync(["segment", manifest, "a cat. a remote control.", "--out", single, .. Models]);
        Assert.True(whole.Code == 0, whole.Err);

        var shards = Enumerable.Range(0, 3).Select(i => CliProcess.RunAsync(["segment", manifest, "a cat. a remote control.", "--out", shared, "--shard", $"{i}/3", "--parallel", "1", .. Models])).ToList();
        var ends = await Task.WhenAll(shards);

        Assert.All(ends, e => Assert.True(e.Code == 0, e.Err));
        var reports = Enumerable.Range(0, 3).Select(i => JsonNode.Parse(File.ReadAllText(Path.Combine(shared, $"shard-{i}-of-3.json")))!).ToList();
        Assert.Equal(8, reports.Sum(r => (int)r["images"]!));
        Assert.Equal(8, reports.Sum(r => (int)r["processed"]!));
        AssertSameResults(single, shared);
        Assert.Equal(["in/a/cat", "in/b/cat"], ResultFolders(shared).Where(f => f.EndsWith("/cat", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        var merged = await CliRunner.RunAsync("dataset", "merge", shared, "--out", Path.Combine(_dir, "merged", "coco.json"), "--format", "coco,yolo");
        Assert.True(merged.Code == 0, merged.Err);
        Assert.Equal(Coco(Path.Combine(single, "coco.json")), Coco(Path.Combine(_dir, "merged", "coco.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(single, "classes.txt")), File.ReadAllText(Path.Combine(_dir, "merged", "classes.txt")));
        foreach (string label in Directory.EnumerateFiles(Path.Combine(single, "labels"), "*.txt", SearchOption.AllDirectories))
        {
            Assert.Equal(File.ReadAllText(label), File.ReadAllText(Path.Combine(_dir, "merged", "labels", Path.GetRelativePath(Path.Combine(single, "labels"), label))));
        }

        var stats = await CliRunner.RunAsync("dataset", "stats", shared, "--json");
        using var doc = JsonDocument.Parse(stats.Out);
        Assert.Equal(8, doc.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(0, doc.RootElement.GetProperty("unfinished_shards").GetArrayLength());
    }

    [Fact]
    public async Task A_shard_killed_mid_run_and_started_again_ends_as_an_uninterrupted_run()
    {
        string manifest = WriteManifest(6);
        string single = Path.Combine(_dir, "single"), shared = Path.Combine(_dir, "shared");
        var whole = await CliRunner.RunAsync(["segment", manifest, "a cat. a remote control.", "--out", single, .. Models]);
        Assert.True(whole.Code == 0, whole.Err);
        string[] shard = ["segment", manifest, "a cat. a remote control.", "--out", shared, "--shard", "0/1", "--parallel", "2", .. Models];

        // Killed three times: while the models load, as soon as the first image has landed, and after the third,
        // each time with images in flight.
        foreach (int wanted in new[] { 0, 1, 3 })
        {
            var (process, _, _) = CliProcess.Start(shard);
            using (process)
            {
                var deadline = DateTime.UtcNow.AddMinutes(2);
                if (wanted == 0)
                {
                    await Task.Delay(300);
                }

                while (ResultFolders(shared).Count < wanted && !process.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10);
                }

                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }
        }

        int landed = ResultFolders(shared).Count;
        Assert.InRange(landed, 3, 5);
        Assert.False(File.Exists(Path.Combine(shared, "shard-0-of-1.json")));

        var again = await CliProcess.RunAsync(shard);

        Assert.True(again.Code == 0, again.Err);
        Assert.Contains($"{6 - landed} processed, {landed} already done", again.Err, StringComparison.Ordinal);
        AssertSameResults(single, shared);
        Assert.Empty(Directory.EnumerateDirectories(shared, ".*", SearchOption.AllDirectories));
        Assert.Equal(Coco(Path.Combine(single, "coco.json")), Coco(Path.Combine(shared, "coco.shard-0-of-1.json")));
    }

    [Fact]
    public async Task Url_inputs_in_a_manifest_run_and_a_missing_one_is_reported_not_fatal()
    {
        using var server = new LoopbackFileServer();
        server.Add("/img/cat.png", File.ReadAllBytes(Fixtures.Path("images", "cat.png")));
        string manifest = Path.Combine(_dir, "urls.jsonl");
        File.WriteAllText(manifest, $"{{\"image\": \"{server.BaseUrl}/img/cat.png\", \"id\": \"cat-1\"}}\n{{\"image\": \"{server.BaseUrl}/img/gone.png\", \"id\": \"gone\"}}\n");

        var (code, _, err) = await CliRunner.RunAsync(["segment", manifest, "a cat.", "--out", Path.Combine(_dir, "out"), .. Models]);

        Assert.Equal(3, code);
        Assert.Contains("HTTP 404", err, StringComparison.Ordinal);
        Assert.Contains("1 processed, 0 already done, 1 failed", err, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "out", "cat-1", "results.json")));
        Assert.Equal("cat-1", doc.RootElement.GetProperty("run").GetProperty("key").GetString());
        Assert.Equal(server.BaseUrl + "/img/cat.png", doc.RootElement.GetProperty("run").GetProperty("input").GetString());
    }

    [Fact]
    public async Task Shard_options_are_checked_before_any_model_loads()
    {
        string manifest = WriteManifest(2);
        var bad = await CliRunner.RunAsync("segment", manifest, "a cat.", "--shard", "2/2", "--detector", "/nonexistent", "--segmenter", "/nonexistent");
        var both = await CliRunner.RunAsync("segment", manifest, "a cat.", "--shard", "0/2", "--shard-from-env", "--detector", "/nonexistent");

        Assert.Equal(2, bad.Code);
        Assert.Contains("0 to 1", bad.Err, StringComparison.Ordinal);
        Assert.Equal(2, both.Code);
        Assert.Contains("not both", both.Err, StringComparison.Ordinal);
    }

    /// <summary>A manifest of n images: two share the name cat.png in different folders; the rest alternate two fixtures.</summary>
    private string WriteManifest(int n)
    {
        var lines = new List<string>();
        for (int i = 0; i < n; i++)
        {
            string relative = i switch { 0 => "a/cat.png", 1 => "b/cat.png", _ => $"c/img{i}.png" };
            string path = Path.Combine(_dir, "in", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(Fixtures.Path("images", i % 2 == 0 ? "cat.png" : "synthetic.png"), path);
            lines.Add("in/" + relative);
        }

        string manifest = Path.Combine(_dir, "list.txt");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }

    private static List<string> ResultFolders(string root) =>
        !Directory.Exists(root) ? [] : [.. Directory.EnumerateFiles(root, "results.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part.StartsWith('.')))];

    /// <summary>Every image's results.json is the same in both folders, timings aside.</summary>
    private static void AssertSameResults(string expected, string actual)
    {
        var folders = ResultFolders(expected).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(folders, ResultFolders(actual).Order(StringComparer.Ordinal));
        foreach (string folder in folders)
        {
            Assert.Equal(Normalized(Path.Combine(expected, folder, "results.json")), Normalized(Path.Combine(actual, folder, "results.json")));
        }
    }

    private static string Normalized(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        node.Remove("timings_ms");
        return node.ToJsonString();
    }

    /// <summary>A COCO file up to image ids: images by file name, annotations by image file name, all else as written.</summary>
    private static string Coco(string path)
    {
        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        var names = doc["images"]!.AsArray().ToDictionary(i => (int)i!["id"]!, i => (string)i!["file_name"]!);
        var images = doc["images"]!.AsArray().Select(i => $"{i!["file_name"]} {i["width"]} {i["height"]}").Order(StringComparer.Ordinal);
        var annotations = doc["annotations"]!.AsArray()
            .Select(a => $"{names[(int)a!["image_id"]!]} {a["category_id"]} {a["segmentation"]!.ToJsonString()} {a["area"]} {a["bbox"]!.ToJsonString()} {a["score"]}")
            .Order(StringComparer.Ordinal);
        return string.Join('\n', images.Concat(["--", doc["categories"]!.ToJsonString(), "--"]).Concat(annotations));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
