using Grounded.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grounded.Models;

/// <summary>
/// grounded.lock.json in a set's folder: what was downloaded (repository, revision) and each file's SHA-256, size and
/// modification time, so later loads can prove the files are the ones that were verified.
/// </summary>
internal sealed class ModelLock
{
    public const string FileName = "grounded.lock.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonPropertyName("repo")]
    public string Repo { get; set; } = string.Empty;

    [JsonPropertyName("revision")]
    public string Revision { get; set; } = string.Empty;

    [JsonPropertyName("files")]
    public Dictionary<string, LockedFile> Files { get; set; } = [];

    public static ModelLock Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return new ModelLock();
        }

        try
        {
            return JsonSerializer.Deserialize<ModelLock>(File.ReadAllText(path), Json) ?? new ModelLock();
        }
        catch (JsonException)
        {
            return new ModelLock();
        }
    }

    public void Write(string folder) => IO.AtomicFile.WriteText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    internal sealed class LockedFile
    {
        [JsonPropertyName("sha256")]
        public string Sha256 { get; set; } = string.Empty;

        [JsonPropertyName("size")]
        public long Size { get; set; }

        [JsonPropertyName("modified_utc")]
        public DateTime ModifiedUtc { get; set; }
    }
}
