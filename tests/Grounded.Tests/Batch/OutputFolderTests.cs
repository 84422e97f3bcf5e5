using Grounded.Batch;
using Grounded.Batch.Datasets;
using Grounded.Batch.Inputs;
using Grounded.Detector;
using Grounded.Outputs;
using Grounded.Pipeline;
using Grounded.Tests.Support;

namespace Grounded.Tests.Batch;

/// <summary>What dataset merge and stats see in an output folder: finished images only, one run, unfinished shards.</summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-outfolder-").FullName;

    private string Out => Path.Combine(_dir, "out");

    [Fact]
    public async Task Two_runs_in_one_folder_must_be_told_apart_and_half_written_folders_never_count()
    {
        // Two images of shard 0 (of 3), and nothing of shards 1 and 2.
        string[] mine = [.. Enumerable.Range('a', 26).Select(c => $"{(char)c}.png").Where(n => ImageKey.ShardOf(n, 3) == 0).Take(2)];
        var first = await RunAsync("run=one", mine, new ShardSpec(0, 3));
        await RunAsync("run=two", ["zz.png"], null);
        Directory.CreateDirectory(Path.Combine(Out, ".a.0123456789abcdef0123456789abcdef.staging"));
        File.Copy(Path.Combine(Out, "zz", "results.json"), Path.Combine(Out, ".a.0123456789abcdef0123456789abcdef.staging", "results.json"));

        var both = Assert.Throws<InvalidRequestException>(() => OutputFolder.Scan(Out));
        var one = OutputFolder.Scan(Out, first);

        Assert.Contains("2 runs", both.Message, StringComparison.Ordinal);
        Assert.Contains(first, both.Message, StringComparison.Ordinal);
        Assert.Equal(mine, one.Images.Select(i => i.Key));
        Assert.All(one.Images, i => Assert.Equal(first, i.RunId));
        Assert.Equal([1, 2], one.UnfinishedShards);
        Assert.Equal(["dog", "cat"], one.Categories);
    }

    [Fact]
    public async Task The_cli_refuses_an_empty_folder_and_an_unknown_run()
    {
        Directory.CreateDirectory(Out);
        var empty = await CliRunner.RunAsync("dataset", "merge", Out, "--out", Path.Combine(_dir, "coco.json"));
        await RunAsync("run=one", ["a.png"], null);
        var unknown = await CliRunner.RunAsync("dataset", "stats", Out, "--run", "feedfeedfeedfeed");

        Assert.Equal(2, empty.Code);
        Assert.Contains("No finished images", empty.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "coco.json")));
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no results of run 'feedfeedfeedfeed'", unknown.Err, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(string setting, string[] names, ShardSpec? shard)
    {
        var inputs = names.Select(n =>
        {
            string path = Path.Combine(_dir, "in", n);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(Fixtures.Path("images", "synthetic.png"), path, overwrite: true);
            return new BatchInput(n, path);
        }).ToList();
        var identity = RunIdentity.Of(new Dictionary<string, string> { ["test"] = setting });
        var pipeline = GroundedPipeline.Builder().Detect(new FakeDetector(() => Task.FromResult(FakeDetections.Two())), DetectionRequest.For("dog")).Build();
        var runner = new BatchRunner(pipeline, new BatchOptions
        {
            Output = new OutputOptions { Directory = Out, Parallelism = 1, Formats = OutputFormats.Json },
            Identity = identity,
            Shard = shard,
            Classes = ["dog"],
        });
        await runner.RunAsync(inputs);
        return identity.Id;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
