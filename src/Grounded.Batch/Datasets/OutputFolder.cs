using System.Text.Json;
using Grounded.Outputs;
using Grounded.Outputs.Json;

namespace Grounded.Batch.Datasets;

/// <summary>
/// What an output folder holds, whatever shards or runs made it: every finished image (a folder with its
/// results.json; hidden staging folders and linked folders are not entered) and every shard report.
/// </summary>
public sealed class OutputFolder
{
    private OutputFolder(string root, IReadOnlyList<FinishedImage> images, IReadOnlyList<string> unreadable, IReadOnlyList<ShardReport> shards)
    {
        Root = root;
        Images = images;
        Unreadable = unreadable;
        Shards = shards;
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>Finished images, sorted by key.</summary>
    public IReadOnlyList<FinishedImage> Images { get; }

    /// <summary>Image folders whose results.json could not be read.</summary>
    public IReadOnlyList<string> Unreadable { get; }

    /// <summary>The shard reports, by shard.</summary>
    public IReadOnlyList<ShardReport> Shards { get; }

    /// <summary>Scans a folder; with <paramref name="runId"/>, only that run's images and shards.</summary>
    /// <exception cref="InvalidRequestException">The folder is missing, or holds several runs and no run was chosen.</exception>
    public static OutputFolder Scan(string root, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            throw new InvalidRequestException($"No output folder '{root}'.");
        }

        var images = new List<FinishedImage>();
        var unreadable = new List<string>();
        foreach (string folder in ImageFolders(new DirectoryInfo(root)))
        {
            string name = Path.GetRelativePath(root, folder).Replace('\\', '/');
            try
            {
                var doc = ResultReader.ReadDocument(Path.Combine(folder, ImageOutputWriter.CompletionMarker));
                images.Add(new FinishedImage(doc.Run?.Key ?? name, name, folder, doc.Run?.Id, doc.Run?.Classes, [.. doc.Objects.Select(o => o.Label)]) { Width = doc.Width, Height = doc.Height });
            }
            catch (Exception ex) when (ex is JsonException or IOException or FormatException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                unreadable.Add(name);
            }
        }

        var shards = new List<ShardReport>();
        foreach (string file in Directory.EnumerateFiles(root, "shard-*-of-*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(file), BatchJsonContext.Default.ShardReport) is { } report)
                {
                    shards.Add(report);
                }
            }
            catch (JsonException)
            {
                unreadable.Add(Path.GetFileName(file));
            }
        }

        var runs = images.Select(i => i.RunId).Concat(shards.Select(s => s.RunId)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (runId is null && runs.Count > 1)
        {
            throw new InvalidRequestException($"'{root}' holds the results of {runs.Count} runs ({string.Join(", ", runs)}); choose one with --run.");
        }

        if (runId is not null)
        {
            if (!runs.Contains(runId, StringComparer.Ordinal))
            {
                throw new InvalidRequestException($"'{root}' holds no results of run '{runId}'{(runs.Count > 0 ? $"; it has {string.Join(", ", runs)}" : string.Empty)}.");
            }

            images.RemoveAll(i => i.RunId != runId);
            shards.RemoveAll(s => s.RunId != runId);
        }

        images.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        shards.Sort((a, b) => a.Shard.CompareTo(b.Shard));
        return new OutputFolder(Path.GetFullPath(root), images, unreadable, shards);
    }

    /// <summary>The run's classes (from its results), or an empty list.</summary>
    public IReadOnlyList<string> Classes => Images.Select(i => i.Classes).FirstOrDefault(c => c is not null) ?? [];

    /// <summary>The run's identity, when its results record one.</summary>
    public string? RunId => Images.Select(i => i.RunId).Concat(Shards.Select(s => s.RunId)).FirstOrDefault(id => id is not null);

    /// <summary>The categories of datasets made from the folder: the prompt's classes in order, then other labels in order of first use.</summary>
    public IReadOnlyList<string> Categories => [.. Classes.Concat(Images.SelectMany(i => i.Labels)).Distinct(StringComparer.Ordinal)];

    /// <summary>Every failure the shard reports list.</summary>
    public IReadOnlyList<ShardFailure> Failures => [.. Shards.SelectMany(s => s.Failed)];

    /// <summary>Shards of the run with no report yet (not finished), when reports say how many there are.</summary>
    public IReadOnlyList<int> UnfinishedShards
    {
        get
        {
            if (Shards.Count == 0)
            {
                return [];
            }

            int count = Shards.Max(s => s.Shards);
            var done = Shards.Where(s => s.Shards == count).Select(s => s.Shard).ToHashSet();
            return [.. Enumerable.Range(0, count).Where(i => !done.Contains(i))];
        }
    }

    private static IEnumerable<string> ImageFolders(DirectoryInfo dir)
    {
        foreach (var sub in dir.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (sub.Name.StartsWith('.') || sub.LinkTarget is not null)
            {
                continue;
            }

            if (File.Exists(Path.Combine(sub.FullName, ImageOutputWriter.CompletionMarker)))
            {
                yield return sub.FullName;
                continue;
            }

            foreach (string nested in ImageFolders(sub))
            {
                yield return nested;
            }
        }
    }
}

/// <summary>One finished image of an output folder.</summary>
/// <param name="Key">Its key.</param>
/// <param name="Name">Its folder, relative to the output folder.</param>
/// <param name="Folder">Its folder's full path.</param>
/// <param name="RunId">The run that made it.</param>
/// <param name="Classes">The run's prompt classes.</param>
/// <param name="Labels">Its objects' labels, in order.</param>
public sealed record FinishedImage(string Key, string Name, string Folder, string? RunId, IReadOnlyList<string>? Classes, IReadOnlyList<string> Labels)
{
    /// <summary>The image's width.</summary>
    public int Width { get; init; }

    /// <summary>The image's height.</summary>
    public int Height { get; init; }

    /// <summary>Reads its results.</summary>
    public Results.ImageResult Read() => ResultReader.Read(Path.Combine(Folder, ImageOutputWriter.CompletionMarker));
}
