using System.CommandLine;
using System.Globalization;
using Grounded.Batch.Datasets;
using Grounded.Outputs;
using Grounded.Settings;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded dataset merge|stats DIR</c>: one dataset from an output folder, whatever shards wrote it.</summary>
internal static class DatasetCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("dataset", "Join the finished images of an output folder (all shards) into one dataset, or count what it holds.");
        var folder = new Argument<string>("folder") { Description = "The output folder of a run (the --out of every shard)." };
        var run = new Option<string?>("--run") { Description = "The run to take when the folder holds several (its id is in each results.json).", Recursive = true };
        command.Add(run);

        var outFile = new Option<string>("--out", "-o") { Description = "The COCO file to write; YOLO's labels/ and classes.txt go beside it.", Required = true };
        var format = new Option<string?>("--format") { Description = "coco, yolo or coco,yolo (default coco)." };
        var merge = new Command("merge", "Write one COCO file (and YOLO labels) of every finished image, with one category list; report missing and failed images.") { folder, outFile, format };
        CliAction.Set(merge, error, null, (parse, _) =>
        {
            var formats = CliSettings.Named(parse.GetValue(format), "formats", OutputFormats.Coco);
            if ((formats & ~(OutputFormats.Coco | OutputFormats.Yolo)) != 0 || formats == 0)
            {
                throw new InvalidRequestException($"--format takes coco, yolo or coco,yolo, not '{parse.GetValue(format)}'.");
            }

            var scanned = OutputFolder.Scan(parse.GetValue(folder)!, parse.GetValue(run));
            if (scanned.Images.Count == 0)
            {
                throw new InvalidRequestException($"No finished images in '{parse.GetValue(folder)}': no image folder with a results.json below it.");
            }

            string target = parse.GetValue(outFile)!;
            int objects = DatasetMerger.Merge(scanned, target, formats);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scanned.Images.Count} image(s), {objects} object(s), {scanned.Categories.Count} categor{(scanned.Categories.Count == 1 ? "y" : "ies")} → {target}"));
            ReportGaps(scanned, error);
            return Task.FromResult(ExitCodes.Success);
        });

        var json = new Option<bool>("--json") { Description = "Print the counts as one JSON object." };
        var stats = new Command("stats", "Count the images, objects per class, images without objects, failures and unfinished shards.") { folder, json };
        CliAction.Set(stats, error, null, (parse, _) =>
        {
            var scanned = OutputFolder.Scan(parse.GetValue(folder)!, parse.GetValue(run));
            var perClass = scanned.Categories.ToDictionary(c => c, c => scanned.Images.Sum(i => i.Labels.Count(l => l == c)), StringComparer.Ordinal);
            int empty = scanned.Images.Count(i => i.Labels.Count == 0);
            if (parse.GetValue(json))
            {
                output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new DatasetStatsJson
                {
                    RunId = scanned.RunId,
                    Images = scanned.Images.Count,
                    ImagesWithoutObjects = empty,
                    Objects = perClass.Values.Sum(),
                    PerClass = perClass,
                    Failed = scanned.Failures,
                    UnfinishedShards = scanned.UnfinishedShards,
                    Unreadable = scanned.Unreadable,
                }, CliJsonContext.Default.DatasetStatsJson));
                return Task.FromResult(ExitCodes.Success);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {scanned.RunId ?? "(unrecorded)"}: {scanned.Images.Count} image(s), {perClass.Values.Sum()} object(s), {empty} without objects"));
            foreach (var (name, count) in perClass)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} {count,8}"));
            }

            ReportGaps(scanned, output);
            return Task.FromResult(ExitCodes.Success);
        });

        command.Add(merge);
        command.Add(stats);
        return command;
    }

    private static void ReportGaps(OutputFolder scanned, TextWriter writer)
    {
        foreach (var failure in scanned.Failures)
        {
            writer.WriteLine($"failed: {failure.Key}: {failure.Error}");
        }

        if (scanned.UnfinishedShards is { Count: > 0 } unfinished)
        {
            writer.WriteLine($"missing: shard(s) {string.Join(", ", unfinished)} of {scanned.Shards.Max(s => s.Shards)} have not finished; their images may be missing.");
        }

        foreach (string name in scanned.Unreadable)
        {
            writer.WriteLine($"unreadable: {name}");
        }
    }
}

/// <summary>What <c>grounded dataset stats --json</c> prints.</summary>
internal sealed record DatasetStatsJson
{
    public string? RunId { get; init; }

    public int Images { get; init; }

    public int ImagesWithoutObjects { get; init; }

    public int Objects { get; init; }

    public required Dictionary<string, int> PerClass { get; init; }

    public required IReadOnlyList<ShardFailure> Failed { get; init; }

    public required IReadOnlyList<int> UnfinishedShards { get; init; }

    public required IReadOnlyList<string> Unreadable { get; init; }
}

/// <summary>The source-generated JSON the CLI prints itself.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(DatasetStatsJson))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
