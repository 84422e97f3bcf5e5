using System.Security.Cryptography;
using System.Text;
using Grounded.Outputs.Json;

namespace Grounded.Batch;

/// <summary>
/// The identity of a run: every setting that changes what lands in an image's folder (command, steps and their
/// settings, models, formats), hashed. results.json records it with the input's path and content hash, and a rerun
/// resumes an image only when all of them match.
/// </summary>
public sealed record RunIdentity
{
    private RunIdentity(string id, SortedDictionary<string, string> settings)
    {
        Id = id;
        Settings = settings;
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the settings, one "key=value" line each, sorted.</summary>
    public string Id { get; }

    /// <summary>The settings, by key.</summary>
    public SortedDictionary<string, string> Settings { get; }

    /// <summary>The identity of these settings.</summary>
    public static RunIdentity Of(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sorted = new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var (key, value) in sorted)
        {
            text.Append(key).Append('=').Append(value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }

        return new RunIdentity(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16], sorted);
    }

    /// <summary>What results.json records for one input.</summary>
    public RunJson For(string inputPath, string inputSha256) => new() { Id = Id, Input = inputPath, InputSha256 = inputSha256, Settings = Settings };

    /// <summary>SHA-256 of a file's bytes, in hex.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>SHA-256 of bytes already in memory (a fetched image), in hex.</summary>
    public static string HashBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A cheap fingerprint of a model folder or file: every file's relative path, size and modification time.</summary>
    public static string FingerprintModel(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var files = File.Exists(path)
            ? [new FileInfo(path)]
            : Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal).ToList() : [];
        var text = new StringBuilder(Path.GetFullPath(path)).Append('\n');
        foreach (var f in files)
        {
            text.Append(CultureInvariant($"{Path.GetRelativePath(path, f.FullName)} {f.Length} {f.LastWriteTimeUtc.Ticks}\n"));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);
}
