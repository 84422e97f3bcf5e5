using System.Text.Json;
using Grounded.Outputs.Json;

namespace Grounded.Outputs;

/// <summary>
/// A run's COCO annotations, kept on disk until the COCO file is written: a labelling run of any length holds its
/// images' masks in memory only while it writes them (noisy masks have RLE counts of hundreds of KB each). The file
/// sits beside the output and is unlinked at once where the system allows it (elsewhere deleted on close), so an
/// aborted run leaves nothing behind.
/// </summary>
internal sealed class AnnotationSpool : IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    public AnnotationSpool(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $".annotations.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        _json = new Utf8JsonWriter(_file);
        _json.WriteStartArray();
    }

    public void Add(CocoAnnotationJson annotation) =>
        JsonSerializer.Serialize(_json, annotation, GroundedJsonContext.Default.CocoAnnotationJson);

    /// <summary>
    /// Writes the annotations as the elements of the array <paramref name="target"/> has just started (and not yet
    /// given an element): the bytes go straight to <paramref name="stream"/>, under the writer, which then closes the array.
    /// </summary>
    public void CopyElementsTo(Utf8JsonWriter target, Stream stream)
    {
        _json.Flush();
        target.Flush();
        long end = _file.Position;
        _file.Position = 1;
        var buffer = new byte[1 << 16];
        for (long left = end - 1; left > 0;)
        {
            int read = _file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new IOException("The spooled annotations ended early.");
            }

            stream.Write(buffer, 0, read);
            left -= read;
        }

        _file.Position = end;
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
