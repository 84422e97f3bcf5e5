using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Grounded.Studio.Sessions;

/// <summary>
/// The images pages work on, in memory only (never in a user's folder): at most <c>capacity</c>, least recently
/// used first out, at most <c>maxBytes</c> of pixels together (a 40-megapixel image is 120 MB), each forgotten after
/// the time-to-live without use. Ids are random 128-bit values, so one page cannot guess another's.
/// </summary>
internal sealed class ImageStore(int capacity, TimeSpan timeToLive, long maxBytes = ImageStore.DefaultMaxBytes)
{
    public const long DefaultMaxBytes = 1L << 30;

    private readonly ConcurrentDictionary<string, StudioImage> _images = new(StringComparer.Ordinal);
    private readonly Lock _evicting = new();

    public int Count => _images.Count;

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public StudioImage Add(string name, Imaging.RgbImage image)
    {
        var entry = new StudioImage(NewId(), name, image);
        lock (_evicting)
        {
            Expire();
            long bytes = image.Pixels.LongLength + _images.Values.Sum(i => i.Image.Pixels.LongLength);
            while (_images.Count >= capacity || (bytes > maxBytes && !_images.IsEmpty))
            {
                var oldest = _images.Values.MinBy(i => i.Recency);
                if (oldest is null)
                {
                    break;
                }

                _images.TryRemove(oldest.Id, out _);
                bytes -= oldest.Image.Pixels.LongLength;
            }

            _images[entry.Id] = entry;
        }

        return entry;
    }

    /// <summary>The image, or a 404 error saying it expired.</summary>
    public StudioImage Get(string id)
    {
        lock (_evicting)
        {
            Expire();
        }

        if (!_images.TryGetValue(id, out var image))
        {
            throw new StudioNotFoundException($"No image '{Shown(id)}': it was never uploaded here, or it expired (images are kept {timeToLive.TotalMinutes:0} minutes unused, {capacity} at most). Upload it again.");
        }

        image.Touch();
        return image;
    }

    public bool Remove(string id) => _images.TryRemove(id, out _);

    private void Expire()
    {
        long now = Environment.TickCount64;
        foreach (var image in _images.Values)
        {
            if (now - image.LastUsed > (long)timeToLive.TotalMilliseconds)
            {
                _images.TryRemove(image.Id, out _);
            }
        }
    }

    internal static string Shown(string id) => id.Length <= 40 && id.All(char.IsAsciiLetterOrDigit) ? id : "(invalid id)";
}
