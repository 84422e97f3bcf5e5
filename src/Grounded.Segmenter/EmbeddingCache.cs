using System.IO.Hashing;
using Grounded.Imaging;

namespace Grounded.Segmenter;

/// <summary>A small LRU of image embeddings keyed by image content, so a re-prompt of the same image skips the encoder.</summary>
internal sealed class EmbeddingCache(int capacity)
{
    private readonly LinkedList<ImageEmbedding> _entries = new();
    private readonly Lock _lock = new();

    /// <summary>
    /// The content key: XxHash128 of the size and the pixels (0.2 ms at 1080p where SHA-256 took 4 ms). Not
    /// cryptographic: two different images crafted to collide would share an embedding, which costs the attacker's
    /// own answer only, since a cache belongs to one segmenter.
    /// </summary>
    public static string KeyOf(RgbImage image)
    {
        var hash = new XxHash128();
        Span<byte> size = stackalloc byte[8];
        BitConverter.TryWriteBytes(size, image.Width);
        BitConverter.TryWriteBytes(size[4..], image.Height);
        hash.Append(size);
        hash.Append(image.Pixels);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    public bool TryGet(string key, out ImageEmbedding embedding)
    {
        lock (_lock)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    embedding = node.Value;
                    return true;
                }
            }
        }

        embedding = null!;
        return false;
    }

    public void Add(ImageEmbedding embedding)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _entries.AddFirst(embedding);
            while (_entries.Count > capacity)
            {
                _entries.RemoveLast();
            }
        }
    }
}
