namespace Grounded.Batch;

/// <summary>Replaces an image's output folder as a whole: written beside it, then swapped in, so no file of an earlier run survives.</summary>
internal static class ImageFolder
{
    public static void Replace(string folder, Action<string> write)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(folder))!;
        string leaf = Path.GetFileName(folder);
        Directory.CreateDirectory(parent);
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
}
