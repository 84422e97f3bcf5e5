using System.Text.Json;

namespace Grounded.Batch.Inputs;

/// <summary>
/// A list of images in a file: <c>.txt</c> with one path or URL a line (blank lines and lines starting with '#'
/// skipped), or <c>.jsonl</c> with one <c>{"image": …, "id": …}</c> object a line (id optional, other fields
/// ignored). Relative paths are relative to the manifest's folder; an image's key is its id, else the path as the
/// manifest writes it, else the URL's host and path.
/// </summary>
public static class Manifest
{
    /// <summary>True when the path names a manifest by its extension.</summary>
    public static bool IsManifest(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".txt" or ".jsonl";

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="InvalidRequestException">A line is not a path, a URL or a JSON object with "image"; the error names the file and line.</exception>
    public static IReadOnlyList<BatchInput> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        bool json = Path.GetExtension(path).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);
        var inputs = new List<BatchInput>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || (!json && line.StartsWith('#')))
            {
                continue;
            }

            try
            {
                var (image, id) = json ? ParseJsonLine(line) : (line, null);
                inputs.Add(Entry(folder, image, id));
            }
            catch (Exception ex) when (ex is JsonException or InvalidRequestException or ArgumentException)
            {
                throw new InvalidRequestException($"{path}:{number}: {ex.Message.Split('\n')[0]}", ex);
            }
        }

        return inputs;
    }

    private static BatchInput Entry(string folder, string image, string? id)
    {
        if (image.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidRequestException("the image path holds a NUL character.");
        }

        if (ImageKey.IsUrl(image))
        {
            return new BatchInput(id ?? ImageKey.FromUrl(image), image);
        }

        if (Uri.TryCreate(image, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            throw new InvalidRequestException($"'{image}' is neither a file path nor an http(s) URL.");
        }

        string key = id ?? (Path.IsPathRooted(image) ? image[Path.GetPathRoot(image)!.Length..] : image);
        return new BatchInput(key, Path.GetFullPath(image, folder));
    }

    private static (string Image, string? Id) ParseJsonLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("each line must be a JSON object such as {\"image\": \"a/cat.jpg\", \"id\": \"cat-1\"}.");
        }

        if (!doc.RootElement.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(image.GetString()))
        {
            throw new InvalidRequestException("the line has no \"image\" string (a path or an http(s) URL).");
        }

        string? id = null;
        if (doc.RootElement.TryGetProperty("id", out var idElement))
        {
            id = idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new InvalidRequestException("\"id\" must be a string or a number."),
            };
        }

        return (image.GetString()!, id);
    }
}
