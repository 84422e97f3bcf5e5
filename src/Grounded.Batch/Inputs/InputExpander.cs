using Microsoft.Extensions.FileSystemGlobbing;

namespace Grounded.Batch.Inputs;

/// <summary>
/// Turns a command-line input into the run's images: one image file, an http(s) URL, a manifest (.txt or .jsonl,
/// see <see cref="Manifest"/>), a folder, or a glob such as photos/**/*.jpg.
/// </summary>
public static class InputExpander
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".tga", ".pbm", ".pgm", ".ppm", ".qoi",
    };

    /// <summary>True when the name has an image extension.</summary>
    public static bool IsImagePath(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    /// <summary>The image paths an input names, sorted (see <see cref="Inputs"/>).</summary>
    public static IReadOnlyList<string> Expand(string input, bool recursive = false) => [.. Inputs(input, recursive).Select(i => i.Source)];

    /// <summary>
    /// The images an input names, each with its key. A file is taken as given (whatever its extension, so a bad
    /// file is reported rather than ignored) unless it is a manifest; a folder gives its images keyed by their path
    /// relative to it (and its sub-folders' with <paramref name="recursive"/>); a glob matches * ? and ** and never
    /// follows a linked folder, so a link loop cannot repeat or hang the run. Folders and globs come sorted.
    /// </summary>
    public static IReadOnlyList<BatchInput> Inputs(string input, bool recursive = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ImageKey.IsUrl(input))
        {
            return [new BatchInput(ImageKey.FromUrl(input), input)];
        }

        if (File.Exists(input))
        {
            return Manifest.IsManifest(input) ? Manifest.Read(input) : [new BatchInput(Path.GetFileName(input), input)];
        }

        if (Directory.Exists(input))
        {
            // Recursive folders walk like "**" globs: linked folders are not entered.
            return recursive
                ? Inputs(Path.Combine(input, "**", "*"))
                : [.. Directory.EnumerateFiles(input).Where(IsImagePath).Order(StringComparer.Ordinal).Select(p => new BatchInput(Path.GetFileName(p), p))];
        }

        if (input.IndexOfAny(['*', '?']) < 0)
        {
            throw new Imaging.ImageLoadException($"Input '{input}' is not a file, a folder, a glob or an http(s) URL.");
        }

        string normalized = input.Replace('\\', '/');
        int firstWild = normalized.IndexOfAny(['*', '?']);
        int slash = normalized.LastIndexOf('/', firstWild);
        string root = slash < 0 ? "." : normalized[..slash];
        if (root.Length == 0)
        {
            root = "/";
        }

        if (!Directory.Exists(root))
        {
            throw new Imaging.ImageLoadException($"No folder '{root}' for the glob '{input}'.");
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(slash < 0 ? normalized : normalized[(slash + 1)..]);
        var matches = matcher.Execute(new LinkFreeDirectory(new DirectoryInfo(root)));
        return [.. matches.Files.Where(f => IsImagePath(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => new BatchInput(f.Path, Path.Combine(root, f.Path)))];
    }
}
