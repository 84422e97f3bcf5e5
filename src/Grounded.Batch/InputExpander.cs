using Microsoft.Extensions.FileSystemGlobbing;

namespace Grounded.Batch;

/// <summary>Turns a command-line input — one image, a folder, or a glob such as photos/**/*.jpg — into image paths.</summary>
public static class InputExpander
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".tga", ".pbm", ".pgm", ".ppm", ".qoi",
    };

    /// <summary>True when the name has an image extension.</summary>
    public static bool IsImagePath(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    /// <summary>
    /// The images an input names, sorted. A file is taken as given (whatever its extension, so a bad file is
    /// reported rather than ignored); a folder gives its images (and its sub-folders' with <paramref name="recursive"/>); a glob matches * ? and ** and
    /// never follows a linked folder, so a link loop cannot repeat or hang the run.
    /// </summary>
    public static IReadOnlyList<string> Expand(string input, bool recursive = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (File.Exists(input))
        {
            return [input];
        }

        if (Directory.Exists(input))
        {
            // Recursive folders walk like "**" globs: linked folders are not entered.
            return recursive
                ? Expand(Path.Combine(input, "**", "*"))
                : [.. Directory.EnumerateFiles(input).Where(IsImagePath).Order(StringComparer.Ordinal)];
        }

        if (input.IndexOfAny(['*', '?']) < 0)
        {
            throw new Imaging.ImageLoadException($"Input '{input}' is not a file, a folder or a glob.");
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
        return [.. matches.Files.Select(f => Path.Combine(root, f.Path)).Where(IsImagePath).Order(StringComparer.Ordinal)];
    }
}
