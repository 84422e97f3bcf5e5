using System.Globalization;

namespace Grounded.Batch.Inputs;

/// <summary>
/// One shard of a run: the images whose key hashes to <see cref="Index"/> among <see cref="Count"/> shards. Every
/// image belongs to exactly one shard whatever the input order, so shards can run anywhere, in any order, at once.
/// </summary>
public sealed record ShardSpec
{
    /// <summary>The most shards a run may have.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>The environment variable Kubernetes sets to a pod's completion index in an Indexed Job.</summary>
    public const string IndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>The environment variable that gives the shard count (set it to the Job's completions).</summary>
    public const string CountVariable = "GROUNDED_SHARD_COUNT";

    /// <summary>Shard <paramref name="index"/> (from 0) of <paramref name="count"/>.</summary>
    public ShardSpec(int index, int count)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new InvalidRequestException($"The shard count must be 1 to {MaxCount}, not {count}.");
        }

        if (index < 0 || index >= count)
        {
            throw new InvalidRequestException($"The shard index must be 0 to {count - 1} for {count} shards, not {index}.");
        }

        Index = index;
        Count = count;
    }

    /// <summary>This shard's index, from 0.</summary>
    public int Index { get; }

    /// <summary>How many shards the run has.</summary>
    public int Count { get; }

    /// <summary>"I-of-N", as in the shard's file names.</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"shard-{Index}-of-{Count}");

    /// <summary>
    /// A run's file in the output folder: <c>stem.extension</c> without a shard, <c>stem.shard-I-of-N.extension</c>
    /// with one (coco.json, coco.shard-0-of-8.json), so shards writing into one folder never overwrite each other's.
    /// </summary>
    public static string FileName(ShardSpec? shard, string stem, string extension) =>
        shard is null ? stem + extension : $"{stem}.{shard.Tag}{extension}";

    /// <summary>True when the key is this shard's.</summary>
    public bool Contains(string key) => Count == 1 || ImageKey.ShardOf(key, Count) == Index;

    /// <summary>Parses "I/N" (I from 0).</summary>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw new InvalidRequestException($"--shard '{text}' is not I/N: give the shard index (from 0) and the shard count, e.g. 0/8.");
        }

        return new ShardSpec(index, count);
    }

    /// <summary>
    /// The shard Kubernetes gives: the index from JOB_COMPLETION_INDEX, the count from GROUNDED_SHARD_COUNT.
    /// Null when neither is set; an error when only one is, or either is not a number.
    /// </summary>
    public static ShardSpec? FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? index = read(IndexVariable), count = read(CountVariable);
        if (string.IsNullOrEmpty(index) && string.IsNullOrEmpty(count))
        {
            return null;
        }

        if (string.IsNullOrEmpty(index) || string.IsNullOrEmpty(count))
        {
            throw new InvalidRequestException($"Sharding from the environment needs both {IndexVariable} and {CountVariable}; only {(string.IsNullOrEmpty(index) ? CountVariable : IndexVariable)} is set.");
        }

        return Parse($"{index.Trim()}/{count.Trim()}");
    }
}
