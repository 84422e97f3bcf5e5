using Grounded.Models;

namespace Grounded.Cli.Commands;

/// <summary>
/// <see cref="ModelLocator"/> for the terminal: says what it downloads and draws a progress bar, and lists every
/// missing set of a run at once when offline.
/// </summary>
internal sealed class ModelResolver(ModelLocator locator, bool allowDownload, TextWriter error)
{
    public static ModelResolver Create(bool allowDownload, string? modelsDir, TextWriter error) => new(ModelLocator.Create(modelsDir, allowDownload), allowDownload, error);

    /// <summary>
    /// Makes sure every named (or default) set a run needs is present, so an offline first run lists all the files to
    /// fetch at once rather than one set per attempt.
    /// </summary>
    public async Task EnsureAllAsync(IEnumerable<(string? Value, string Kind)> needs, CancellationToken cancellationToken)
    {
        var failures = new List<ModelsUnavailableException>();
        foreach (var (value, kind) in needs)
        {
            if (value is not null && ModelLocator.IsPath(value))
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

    /// <summary>True when the set of that name is fully downloaded.</summary>
    public bool IsInstalled(string setName) => locator.IsInstalled(setName);

    /// <summary>The folder and, for detector sets with several variants, the ONNX file to load.</summary>
    public Task<(string Folder, string? ModelFile)> ResolveAsync(string? value, string kind, CancellationToken cancellationToken)
    {
        if (value is null || !ModelLocator.IsPath(value))
        {
            var set = locator.SetFor(value, kind);
            if (locator.Store.Missing(set).Count > 0 && allowDownload)
            {
                error.WriteLine($"Downloading {kind} '{set.Name}' ({set.Repo}) into {locator.Store.FolderOf(set)} …");
            }
        }

        var bar = ConsoleProgress.For(error);
        var progress = new Progress<DownloadProgress>(p =>
            bar.Report(Path.GetFileName(p.File), p.Total is long t && t > 0 ? (double)p.Received / t : 0, $"{p.Received / 1048576.0:0.0} MiB"));
        return locator.ResolveAsync(value, kind, progress, cancellationToken);
    }
}
