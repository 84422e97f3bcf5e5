namespace Grounded.Batch;

/// <summary>
/// Replaces an image's output folder as a whole: written beside it, then swapped in, so no file of an earlier run
/// survives and a half-written folder is never taken for a done one. What a killed process left of this image's
/// earlier attempts (hidden staging and retired folders) is removed first: an image belongs to one shard, and a shard
/// runs in one process at a time.
/// </summary>
internal static class ImageFolder
{
    public static void Replace(string folder, Action<string> write)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(folder))!;
        string leaf = Path.GetFileName(folder);
        Directory.CreateDirectory(parent);
        RemoveLeftovers(parent, leaf);
        string staging = Path.Combine(parent, $".{leaf}.{Guid.NewGuid():N}.staging");
        string retired = Path.Combine(parent, $".{leaf}.{Guid.NewGuid():N}.old");
        try
        {
            write(staging);
            bool hadOld = Directory.Exists(folder);
            if (hadOld)
            {
                Directory.Move(folder, retired);
            }

            Directory.Move(staging, folder);
            if (hadOld)
            {
                Directory.Delete(retired, recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void RemoveLeftovers(string parent, string leaf)
    {
        foreach (string suffix in new[] { ".staging", ".old" })
        {
            // Exactly ".<leaf>.<32 hex digits><suffix>": another image named "<leaf>.x" has its own.
            foreach (string dir in Directory.EnumerateDirectories(parent, $".{leaf}.*{suffix}")
                .Where(d => Path.GetFileName(d) is { } n && n.Length == leaf.Length + 34 + suffix.Length && n.AsSpan(leaf.Length + 2, 32).ContainsAnyExcept("0123456789abcdef") is false))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (DirectoryNotFoundException)
                {
                    // Gone already.
                }
            }
        }
    }
}
