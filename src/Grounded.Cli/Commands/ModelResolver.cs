using Grounded.Pipeline.Models;

namespace Grounded.Cli.Commands;

/// <summary>Turns --detector/--segmenter values (a folder, a set name, or nothing) into model folders, pulling on first use.</summary>
internal sealed class ModelResolver(ModelStore store, ModelManifest manifest, bool allowDownload, TextWriter error)
{
    public static ModelResolver Create(bool allowDownload, string? modelsDir, TextWriter error) => new(new ModelStore(modelsDir), ModelManifest.Load(), allowDownload, error);

    /// <summary>
    /// Makes sure every named (or default) set a run needs is present, so an offline first run lists all the files to
    /// fetch at once rather than one set per attempt.
    /// </summary>
    public async Task EnsureAllAsync(IEnumerable<(string? Value, string Kind)> needs, CancellationToken cancellationToken)
    {
        var failures = new List<ModelsUnavailableException>();
        foreach (var (value, kind) in needs)
        {
            if (value is not null && IsPath(value))
            {
                continue;
            }

            try
            {
                await ResolveAsync(value, kind, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelsUnavailableException ex)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new ModelsUnavailableException(string.Join("\n", failures.Select(f => f.Message)), failures[0]);
        }
    }

    private static bool IsPath(string value) =>
        Directory.Exists(value) || File.Exists(value) || value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value.StartsWith('.');

    /// <summary>True when the set of that name is fully downloaded.</summary>
    public bool IsInstalled(string setName) => store.Missing(manifest.Get(setName)).Count == 0;

    /// <summary>The folder and, for detector sets with several variants, the ONNX file to load.</summary>
    public async Task<(string Folder, string? ModelFile)> ResolveAsync(string? value, string kind, CancellationToken cancellationToken)
    {
        if (value is not null && IsPath(value))
        {
            return (value, null);
        }

        var set = value is null ? manifest.Default(kind) : manifest.Get(value);
        if (!string.Equals(set.Kind, kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"Model set '{set.Name}' is a {set.Kind}, not a {kind}.");
        }

        if (store.Missing(set).Count > 0 && allowDownload)
        {
            error.WriteLine($"Downloading {kind} '{set.Name}' ({set.Repo}) into {store.FolderOf(set)} …");
        }

        var bar = ConsoleProgress.For(error);
        var progress = new Progress<DownloadProgress>(p =>
            bar.Report(Path.GetFileName(p.File), p.Total is long t && t > 0 ? (double)p.Received / t : 0, $"{p.Received / 1048576.0:0.0} MiB"));
        string folder = await store.EnsureAsync(set, allowDownload, progress, cancellationToken).ConfigureAwait(false);
        return (folder, set.ModelFile);
    }
}
