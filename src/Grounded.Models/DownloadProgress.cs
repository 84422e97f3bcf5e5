namespace Grounded.Models;

/// <summary>Progress of one file's download.</summary>
/// <param name="File">The file's path in the set.</param>
/// <param name="Received">Bytes on disk so far (resumed bytes included).</param>
/// <param name="Total">Total bytes, when the server says.</param>
public sealed record DownloadProgress(string File, long Received, long? Total);
