using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Grounded.Batch.Inputs;

/// <summary>Image keys: how a path, URL or id becomes a key that is safe as a folder name, and which shard a key belongs to.</summary>
public static class ImageKey
{
    private const int MaxPartLength = 120;

    /// <summary>True for an absolute http or https URL.</summary>
    public static bool IsUrl(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// A key that is safe as a relative folder path: '\' becomes '/', empty and '.' parts are dropped, a part that is
    /// '..' or starts with '.' (hidden, and the prefix of staging folders) gets a leading '_', control characters and
    /// characters that file systems refuse become '_', and each part is cut to 120 characters.
    /// </summary>
    public static string Clean(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = new List<string>();
        foreach (string raw in key.Replace('\\', '/').Split('/'))
        {
            if (raw.Length == 0 || raw == ".")
            {
                continue;
            }

            var part = new StringBuilder(raw.Length + 1);
            if (raw[0] == '.')
            {
                part.Append('_');
            }

            foreach (char c in raw)
            {
                part.Append(char.IsControl(c) || c is ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : c);
            }

            parts.Add(part.Length > MaxPartLength ? part.ToString(0, MaxPartLength) : part.ToString());
        }

        if (parts.Count == 0)
        {
            throw new InvalidRequestException($"The image key '{Printable(key)}' is empty once cleaned: give an id or a path with a name.");
        }

        return string.Join('/', parts);
    }

    /// <summary>The key of a URL: its host and path ("example.com/images/cat.jpg"), with the query kept only as a suffix that tells otherwise equal URLs apart.</summary>
    public static string FromUrl(string url)
    {
        var uri = new Uri(url);
        string key = uri.Host + Uri.UnescapeDataString(uri.AbsolutePath);
        return uri.Query.Length > 1 ? $"{key}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uri.Query)))[..8]}" : key;
    }

    /// <summary>The shard (0 to <paramref name="count"/> − 1) a key belongs to: the first 8 bytes of the SHA-256 of its UTF-8 bytes, modulo the count.</summary>
    public static int ShardOf(string key, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    private static string Printable(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
