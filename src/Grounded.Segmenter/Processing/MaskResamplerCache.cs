namespace Grounded.Segmenter.Processing;

/// <summary>
/// One <see cref="MaskResampler"/> per image geometry: its tables are built once and reused by every mask of that
/// image. Its per-thread buffers are a few MB, so only the last few geometries are kept (a folder run holds two images).
/// </summary>
internal sealed class MaskResamplerCache(int padSize)
{
    private readonly Dictionary<(int, int, int, int, int, int), MaskResampler> _resamplers = [];

    public MaskResampler For(ImageEmbedding e, int lowW, int lowH)
    {
        var key = (e.ResizedWidth, e.ResizedHeight, e.OriginalWidth, e.OriginalHeight, lowW, lowH);
        lock (_resamplers)
        {
            if (!_resamplers.TryGetValue(key, out var resampler))
            {
                if (_resamplers.Count >= 4)
                {
                    _resamplers.Clear();
                }

                resampler = new MaskResampler(lowW, lowH, padSize, e.ResizedWidth, e.ResizedHeight, e.OriginalWidth, e.OriginalHeight);
                _resamplers[key] = resampler;
            }

            return resampler;
        }
    }
}
