namespace Grounded.IO;

/// <summary>Writes files atomically: to a temporary file beside the target, then renamed over it.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on failure the target is untouched and the temporary file removed.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes text as UTF-8, atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false));
            writer.Write(text);
        });
}
