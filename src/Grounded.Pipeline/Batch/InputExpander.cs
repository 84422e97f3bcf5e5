using System.Text.RegularExpressions;

namespace Grounded.Pipeline.Batch;

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
    /// reported rather than ignored); a folder gives its images (not recursive); a glob matches * ? and **.
    /// </summary>
    public static IReadOnlyList<string> Expand(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (File.Exists(input))
        {
            return [input];
        }

        if (Directory.Exists(input))
        {
            return [.. Directory.EnumerateFiles(input).Where(IsImagePath).Order(StringComparer.Ordinal)];
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

        string pattern = slash < 0 ? normalized : normalized[(slash + 1)..];
        var regex = new Regex("^" + GlobToRegex(pattern) + "$", RegexOptions.CultureInvariant);
        bool recursive = pattern.Contains('/', StringComparison.Ordinal) || pattern.Contains("**", StringComparison.Ordinal);
        if (!Directory.Exists(root))
        {
            throw new Imaging.ImageLoadException($"No folder '{root}' for the glob '{input}'.");
        }

        return [.. Directory.EnumerateFiles(root, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')) && IsImagePath(f))
            .Order(StringComparer.Ordinal)];
    }

    private static string GlobToRegex(string pattern)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more folders.
                bool slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                sb.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else
            {
                sb.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return sb.ToString();
    }
}
