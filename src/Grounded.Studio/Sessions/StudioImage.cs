using System.Collections.Concurrent;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Segmenter;

namespace Grounded.Studio.Sessions;

/// <summary>
/// One image a page works on: its pixels, its SAM embedding (computed once), the raw detector outputs of its last
/// prompts and the masks already decoded for its boxes, so that moving a threshold re-runs no model.
/// </summary>
internal sealed class StudioImage(string id, string name, RgbImage image)
{
    private const int RawDetectionsKept = 4;
    private readonly ConcurrentDictionary<string, Task<RawDetection>> _raw = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _rawOrder = new();
    private static long _clock;
    private long _lastUsedTicks = Environment.TickCount64;
    private long _recency = Interlocked.Increment(ref _clock);

    public string Id { get; } = id;

    public string Name { get; } = name;

    public RgbImage Image { get; } = image;

    /// <summary>The embedding, started once by the upload and awaited by every prompt.</summary>
    public Task<ImageEmbedding>? Embedding { get; set; }

    /// <summary>Masks already decoded for a box (or other prompt) of this image, by prompt.</summary>
    public ConcurrentDictionary<string, SegmentedObject> Masks { get; } = new(StringComparer.Ordinal);

    /// <summary>When it was last used (milliseconds, for the time-to-live).</summary>
    public long LastUsed => Interlocked.Read(ref _lastUsedTicks);

    /// <summary>Its place in the order of use (a counter: the clock's ticks are too coarse to order uses apart).</summary>
    public long Recency => Interlocked.Read(ref _recency);

    public void Touch()
    {
        Interlocked.Exchange(ref _lastUsedTicks, Environment.TickCount64);
        Interlocked.Exchange(ref _recency, Interlocked.Increment(ref _clock));
    }

    /// <summary>The raw detector outputs for a prompt, run once; a failed run is forgotten so the next call retries.</summary>
    public async Task<RawDetection> RawDetectionAsync(string key, Func<Task<RawDetection>> run)
    {
        var task = _raw.GetOrAdd(key, _ =>
        {
            _rawOrder.Enqueue(key);
            return run();
        });
        while (_raw.Count > RawDetectionsKept && _rawOrder.TryDequeue(out string? oldest) && oldest != key)
        {
            _raw.TryRemove(oldest, out _);
        }

        try
        {
            return await task.ConfigureAwait(false);
        }
        catch
        {
            _raw.TryRemove(new KeyValuePair<string, Task<RawDetection>>(key, task));
            throw;
        }
    }
}
