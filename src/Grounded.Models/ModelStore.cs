using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Grounded.Models;

/// <summary>
/// The local model cache: one folder per set under <see cref="Root"/> (GROUNDED_MODELS_DIR, else a per-user cache).
/// Downloads show progress, resume with range requests, land atomically, and are recorded with their SHA-256 in a
/// lock file that every later load checks.
/// </summary>
public sealed class ModelStore
{
    private readonly HttpClient _http;
    private readonly string _endpoint;

    /// <summary>Creates a store.</summary>
    /// <param name="root">The cache folder; default <see cref="DefaultRoot"/>.</param>
    /// <param name="http">The HTTP client (tests pass one aimed at a local server).</param>
    /// <param name="endpoint">The hub's base URL; default HF_ENDPOINT or https://huggingface.co.</param>
    public ModelStore(string? root = null, HttpClient? http = null, string? endpoint = null)
    {
        Root = root ?? DefaultRoot();
        _http = http ?? SharedHttp.Value;
        _endpoint = (endpoint ?? Environment.GetEnvironmentVariable("HF_ENDPOINT") ?? "https://huggingface.co").TrimEnd('/');
    }

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary>GROUNDED_MODELS_DIR, else $XDG_CACHE_HOME/grounded/models, ~/.cache/grounded/models, or %LOCALAPPDATA%\grounded\models.</summary>
    public static string DefaultRoot() => Grounded.IO.UserCache.Folder("models", "GROUNDED_MODELS_DIR");

    /// <summary>Where a set lives.</summary>
    public string FolderOf(ModelSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Path.Combine(Root, set.Name);
    }

    /// <summary>The download URL of one file.</summary>
    public Uri UrlOf(ModelSet set, ModelFileEntry file)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(file);
        return new Uri($"{_endpoint}/{set.Repo}/resolve/{Uri.EscapeDataString(set.Revision)}/{file.Path}");
    }

    /// <summary>The files of a set not yet on disk.</summary>
    public IReadOnlyList<ModelFileEntry> Missing(ModelSet set) =>
        [.. set.Files.Where(f => !File.Exists(Path.Combine(FolderOf(set), f.Path)))];

    /// <summary>
    /// Makes sure a set is present and verified: downloads what is missing (when <paramref name="allowDownload"/>),
    /// then checks every file against the lock file. Returns the set's folder.
    /// </summary>
    public async Task<string> EnsureAsync(ModelSet set, bool allowDownload, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var missing = Missing(set);
        if (missing.Count > 0)
        {
            if (!allowDownload)
            {
                throw new ModelsUnavailableException(ManualInstructions(set, missing, $"Model set '{set.Name}' is not installed and downloads are off."));
            }

            await PullAsync(set, progress, cancellationToken).ConfigureAwait(false);
        }

        Verify(set, rehashAll: false);
        return FolderOf(set);
    }

    /// <summary>Downloads every missing or unverified file of a set.</summary>
    public async Task PullAsync(ModelSet set, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        string folder = FolderOf(set);
        Directory.CreateDirectory(folder);
        var lockFile = ModelLock.Read(folder);
        lockFile.Repo = set.Repo;
        lockFile.Revision = set.Revision;
        foreach (var file in set.Files)
        {
            string target = Path.Combine(folder, file.Path);
            if (File.Exists(target) && lockFile.Files.ContainsKey(file.Path))
            {
                continue;
            }

            try
            {
                string sha = File.Exists(target) ? HashFile(target) : await DownloadAsync(set, file, target, progress, cancellationToken).ConfigureAwait(false);
                CheckExpected(set, file, sha, target);
                Record(lockFile, file.Path, target, sha);
                lockFile.Write(folder);
            }
            catch (HttpRequestException ex)
            {
                throw new ModelsUnavailableException(ManualInstructions(set, Missing(set), $"Cannot download '{set.Name}' ({ex.Message})."), ex);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new ModelsUnavailableException(ManualInstructions(set, Missing(set), $"Downloading '{set.Name}' broke off ({ex.Message}); run the same command again to resume."), ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ModelsUnavailableException(ManualInstructions(set, Missing(set), $"Downloading '{set.Name}' timed out."), ex);
            }
        }
    }

    /// <summary>
    /// Checks a set's files against its lock file: size and modification time, and the SHA-256 wherever those changed
    /// (or of every file with <paramref name="rehashAll"/>). Files placed by hand are hashed and recorded.
    /// </summary>
    /// <returns>One line per file.</returns>
    public IReadOnlyList<string> Verify(ModelSet set, bool rehashAll)
    {
        ArgumentNullException.ThrowIfNull(set);
        string folder = FolderOf(set);
        var lockFile = ModelLock.Read(folder);
        var report = new List<string>();
        bool changed = false;
        foreach (var file in set.Files)
        {
            string path = Path.Combine(folder, file.Path);
            if (!File.Exists(path))
            {
                throw new ModelsUnavailableException(ManualInstructions(set, Missing(set), $"Model set '{set.Name}' is incomplete."));
            }

            var info = new FileInfo(path);
            if (lockFile.Files.TryGetValue(file.Path, out var locked))
            {
                bool same = locked.Size == info.Length && locked.ModifiedUtc == info.LastWriteTimeUtc;
                if (same && !rehashAll)
                {
                    report.Add($"ok       {file.Path} (size and time as recorded)");
                    continue;
                }

                string sha = HashFile(path);
                if (!string.Equals(sha, locked.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ModelsUnavailableException($"Model file '{path}' changed since it was verified (SHA-256 {sha[..12]}…, recorded {locked.Sha256[..Math.Min(12, locked.Sha256.Length)]}…); run 'grounded models pull {set.Name}' after deleting it.");
                }

                Record(lockFile, file.Path, path, sha);
                changed = true;
                report.Add($"verified {file.Path} sha256 {sha}");
            }
            else
            {
                string sha = HashFile(path);
                CheckExpected(set, file, sha, path);
                Record(lockFile, file.Path, path, sha);
                changed = true;
                report.Add($"recorded {file.Path} sha256 {sha}");
            }
        }

        if (changed)
        {
            lockFile.Repo = set.Repo;
            lockFile.Revision = set.Revision;
            lockFile.Write(folder);
        }

        return report;
    }

    /// <summary>What to fetch by hand, and where to put it.</summary>
    public string ManualInstructions(ModelSet set, IReadOnlyList<ModelFileEntry> files, string reason)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(files);
        var sb = new StringBuilder(reason);
        sb.Append(CultureInfoInvariant($" Fetch these {files.Count} file(s) by hand and put them under {FolderOf(set)}:"));
        foreach (var f in files)
        {
            sb.Append('\n').Append("  ").Append(UrlOf(set, f)).Append("  ->  ").Append(Path.Combine(FolderOf(set), f.Path));
        }

        sb.Append("\nThen run 'grounded models verify ").Append(set.Name).Append("'. Set GROUNDED_MODELS_DIR to keep models elsewhere, or HF_ENDPOINT to use a mirror.");
        return sb.ToString();
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);

    private async Task<string> DownloadAsync(ModelSet set, ModelFileEntry file, string target, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string part = target + ".part";
        long existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, UrlOf(set, file));
        if (existing > 0)
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
        {
            // The part file already holds the whole file.
            File.Move(part, target, overwrite: true);
            return HashFile(target);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase} for {request.RequestUri}", null, response.StatusCode);
        }

        bool resuming = response.StatusCode == HttpStatusCode.PartialContent && existing > 0;
        long? total = response.Content.Headers.ContentLength is long length ? length + (resuming ? existing : 0) : null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (resuming)
        {
            using var previous = File.OpenRead(part);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await previous.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }
        else
        {
            existing = 0;
        }

        using (var output = new FileStream(part, resuming ? FileMode.Append : FileMode.Create, FileAccess.Write))
        using (var input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            var buffer = new byte[1 << 20];
            long received = existing;
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sha.AppendData(buffer, 0, read);
                received += read;
                progress?.Report(new DownloadProgress(file.Path, received, total));
            }

            if (total is long expected && received != expected)
            {
                throw new HttpRequestException($"connection closed after {received} of {expected} bytes of {file.Path}; run the command again to resume");
            }
        }

        string hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (file.Sha256 is { } pinned && !string.Equals(pinned, hash, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new ModelsUnavailableException($"Downloaded '{file.Path}' of '{set.Name}' has SHA-256 {hash}, expected {pinned}; the partial file was removed.");
        }

        File.Move(part, target, overwrite: true);
        return hash;
    }

    private static void CheckExpected(ModelSet set, ModelFileEntry file, string sha, string path)
    {
        if (file.Sha256 is { } pinned && !string.Equals(pinned, sha, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelsUnavailableException($"Model file '{path}' of '{set.Name}' has SHA-256 {sha}, expected {pinned}.");
        }
    }

    private static void Record(ModelLock lockFile, string relative, string path, string sha)
    {
        var info = new FileInfo(path);
        lockFile.Files[relative] = new ModelLock.LockedFile { Sha256 = sha, Size = info.Length, ModifiedUtc = info.LastWriteTimeUtc };
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
