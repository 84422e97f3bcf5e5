using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace Grounded.Onnx;

/// <summary>
/// ONNX Runtime's optimised graph of a model, saved the first time a CPU session is made and loaded (with graph
/// optimisation off) the next time, so a cold start skips optimising the same graph again: MobileSAM's encoder
/// session 116–147 ms → 45–54 ms, its decoder's 154–216 ms → 72–78 ms. The copy is keyed by the model's content
/// and by what shapes the optimised graph (runtime version, optimisation level, CPU architecture), so a changed file
/// or setting makes a new copy. A copy that does not load is deleted and made again;
/// a cache that cannot be written only means no copy. CUDA sessions are not cached (their optimised graphs assign
/// nodes to the device), nor models over 1 GB (the larger SAM encoders keep their weights in external files).
/// </summary>
internal static class OptimizedModelCache
{
    private const long LargestModel = 1L << 30;

    public static InferenceSession Open(string modelPath, SessionOptions so, RuntimeOptions options, bool cpuOnly)
    {
        string? cached = cpuOnly ? PathFor(modelPath, options) : null;
        if (cached is null)
        {
            return new InferenceSession(modelPath, so);
        }

        if (File.Exists(cached))
        {
            var level = so.GraphOptimizationLevel;
            so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
            try
            {
                return new InferenceSession(cached, so);
            }
            catch (OnnxRuntimeException)
            {
                TryDelete(cached);
            }
            finally
            {
                so.GraphOptimizationLevel = level;
            }
        }

        // Written under a name of this process's own, then renamed: a reader never sees half a file, and two
        // processes making the same copy at once each publish a whole one.
        string temporary = $"{cached}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        if (!CanWrite(temporary))
        {
            return new InferenceSession(modelPath, so);
        }

        so.OptimizedModelFilePath = temporary;
        try
        {
            var session = new InferenceSession(modelPath, so);
            try
            {
                File.Move(temporary, cached, overwrite: true);
                Prune(Path.GetDirectoryName(cached)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process published it first, or the folder went away: the session is good either way.
            }

            return session;
        }
        catch (OnnxRuntimeException)
        {
            // Saving the copy failed (a full disk, say): open without it; a model that is itself bad fails again here.
            so.OptimizedModelFilePath = string.Empty;
            return new InferenceSession(modelPath, so);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Where the optimised copy of <paramref name="modelPath"/> under <paramref name="options"/> lives; null when not cached.</summary>
    internal static string? PathFor(string modelPath, RuntimeOptions options)
    {
        if (string.IsNullOrEmpty(options.OptimizedModelCache))
        {
            return null;
        }

        var file = new FileInfo(modelPath);
        if (!file.Exists || file.Length > LargestModel)
        {
            return null;
        }

        string key = string.Join('\n',
            ContentHash(modelPath),
            file.Length.ToString(CultureInfo.InvariantCulture),
            ExternalData(file),
            OrtEnv.Instance().GetVersionString(),
            options.GraphOptimization.ToString(),
            System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString());
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return Path.Combine(options.OptimizedModelCache, $"{Path.GetFileNameWithoutExtension(modelPath)}-{hash}.onnx");
    }

    /// <summary>
    /// Keeps the newest copies within <see cref="KeptCopies"/> and <see cref="KeptBytes"/>: models moved, edited or
    /// opened from temporary folders each leave a copy under a key nothing will ask for again.
    /// </summary>
    internal static void Prune(string folder)
    {
        var copies = new DirectoryInfo(folder).GetFiles("*.onnx").OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        long total = 0;
        for (int i = 0; i < copies.Count; i++)
        {
            total += copies[i].Length;
            if (i >= KeptCopies || total > KeptBytes)
            {
                TryDelete(copies[i].FullName);
            }
        }
    }

    internal const int KeptCopies = 32;
    internal const long KeptBytes = 4L << 30;

    /// <summary>
    /// The model's content, hashed (XxHash128, some 10 ms for MobileSAM's 48 MB, read from the page cache ONNX Runtime
    /// fills anyway): a file replaced by another of the same name, size and time still gets a copy of its own.
    /// </summary>
    private static string ContentHash(string modelPath)
    {
        var hash = new System.IO.Hashing.XxHash128();
        using (var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        {
            hash.Append(stream);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// The files that may hold the model's weights outside it (model.onnx_data, model.onnx.data, *.data), by name,
    /// size and write time: their content is not in the model file's hash.
    /// </summary>
    private static string ExternalData(FileInfo model) =>
        string.Join(';', model.Directory!.EnumerateFiles()
            .Where(f => f.Name != model.Name && (f.Name.StartsWith(model.Name, StringComparison.Ordinal) || f.Extension is ".data" or ".onnx_data"))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}")));

    private static bool CanWrite(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next run to replace.
        }
    }
}
