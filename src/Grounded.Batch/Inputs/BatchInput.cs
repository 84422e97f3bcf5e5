namespace Grounded.Batch.Inputs;

/// <summary>
/// One image of a run: where it comes from (a file path or an http(s) URL) and its key, the stable name that
/// picks its shard and its output folder. The key is the manifest's id, else the path relative to the input root,
/// so it is the same on every machine and in every order.
/// </summary>
public sealed record BatchInput
{
    /// <summary>An input with the given key (cleaned by <see cref="ImageKey.Clean"/>).</summary>
    public BatchInput(string key, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Key = ImageKey.Clean(key);
        Source = source;
    }

    /// <summary>The stable key: '/'-separated, no empty, '.' or '..' parts, no control characters.</summary>
    public string Key { get; }

    /// <summary>A file path, or an http(s) URL.</summary>
    public string Source { get; }

    /// <summary>True when the source is fetched over HTTP.</summary>
    public bool IsUrl => ImageKey.IsUrl(Source);

    /// <summary>Inputs for plain paths, each keyed by its file name (callers that know a root use its relative path).</summary>
    public static IReadOnlyList<BatchInput> FromPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return [.. paths.Select(p => new BatchInput(ImageKey.IsUrl(p) ? ImageKey.FromUrl(p) : Path.GetFileName(p), p))];
    }
}
