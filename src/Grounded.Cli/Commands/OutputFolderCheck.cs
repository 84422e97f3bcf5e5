namespace Grounded.Cli.Commands;

/// <summary>The output folder, checked before any model loads.</summary>
internal static class OutputFolderCheck
{
    /// <summary>
    /// Refuses (a usage error) a folder that is an existing file, or one that cannot be made or written where it
    /// would go: either would otherwise fail only after the work, with a message about some file inside it.
    /// </summary>
    public static void Check(string? folder)
    {
        if (folder is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new InvalidRequestException("The output folder is empty: give a folder (it is made when missing).");
        }

        if (File.Exists(folder) && !Directory.Exists(folder))
        {
            throw new InvalidRequestException($"The output folder '{folder}' is a file: give a folder (it is made when missing).");
        }

        // The nearest folder that exists is where the run will create or write: a probe folder made and removed there
        // shows that it can (permissions, a read-only or pseudo file system) without leaving anything behind.
        string full = Path.GetFullPath(folder);
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
        }

        if (existing is null)
        {
            return;
        }

        string probe = Path.Combine(existing, $".grounded-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string why = ex is UnauthorizedAccessException ? "permission denied" : "it takes no new folders";
            throw new InvalidRequestException($"The output folder '{folder}' cannot be written: {why} in '{existing}'.", ex);
        }
    }
}
