namespace Grounded.Models;

/// <summary>
/// Turns a model value — a folder or file path, a manifest set name, or nothing for the stage's default — into a
/// folder on disk, downloading a missing set when allowed. The one place the CLI, recipes and the agent host share.
/// </summary>
public sealed class ModelLocator(ModelStore store, ModelManifest manifest, bool allowDownload)
{
    /// <summary>A locator over a models folder (default: GROUNDED_MODELS_DIR or the per-user cache) and the built-in manifest.</summary>
    public static ModelLocator Create(string? modelsFolder, bool allowDownload) => new(new ModelStore(modelsFolder), ModelManifest.Load(), allowDownload);

    /// <summary>The cache.</summary>
    public ModelStore Store => store;

    /// <summary>True when a value names a path rather than a set (it exists, or looks like a path).</summary>
    public static bool IsPath(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Directory.Exists(value) || File.Exists(value) || value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value.StartsWith('.');
    }

    /// <summary>The set a value names (or the stage's default), checked to be of that stage.</summary>
    public ModelSet SetFor(string? value, string kind)
    {
        var set = value is null ? manifest.Default(kind) : manifest.Get(value);
        if (!string.Equals(set.Kind, kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"Model set '{set.Name}' is a {set.Kind}, not a {kind}.");
        }

        return set;
    }

    /// <summary>True when the manifest has a set of that name and it is fully downloaded.</summary>
    public bool IsInstalled(string setName)
    {
        var set = manifest.Sets.FirstOrDefault(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase));
        return set is not null && store.Missing(set).Count == 0;
    }

    /// <summary>The folder (or file) and, for detector sets with several variants, the ONNX file to load.</summary>
    public async Task<(string Folder, string? ModelFile)> ResolveAsync(string? value, string kind, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (value is not null && IsPath(value))
        {
            return (value, null);
        }

        var set = SetFor(value, kind);
        return (await store.EnsureAsync(set, allowDownload, progress, cancellationToken).ConfigureAwait(false), set.ModelFile);
    }
}
