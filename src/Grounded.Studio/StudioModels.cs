using System.Collections.Concurrent;
using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Recipes;
using Grounded.Segmenter;

namespace Grounded.Studio;

/// <summary>
/// The models the server shares between requests: each opened once, on first use, and disposed with the server.
/// A model that fails to open is tried again by the next request (a model pulled meanwhile is then found).
/// </summary>
internal sealed class StudioModels(StudioOptions options) : IDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly ConcurrentDictionary<InpainterKind, IInpainter> _inpainters = new();
    private GroundingDinoDetector? _detector;
    private SamSegmenter? _segmenter;
    private int _detectorRuns;

    /// <summary>Raw detector runs so far (a moved threshold must not add one).</summary>
    public int DetectorRuns => _detectorRuns;

    /// <summary>Encoder runs so far (cache misses of the segmenter).</summary>
    public int EncoderRuns => _segmenter?.EncoderRuns ?? 0;

    public void CountDetectorRun() => Interlocked.Increment(ref _detectorRuns);

    public async Task<GroundingDinoDetector> DetectorAsync(CancellationToken cancellationToken) =>
        _detector ?? await OpenAsync(() => _detector, async () =>
        {
            var (folder, file) = await options.Resolve(options.Settings.Models.Detector, "detector", cancellationToken).ConfigureAwait(false);
            return _detector = GroundingDinoDetector.Create(folder, new DetectorOptions { Runtime = options.Settings.Runtime, ModelFile = file });
        }, cancellationToken).ConfigureAwait(false);

    public async Task<SamSegmenter> SegmenterAsync(CancellationToken cancellationToken) =>
        _segmenter ?? await OpenAsync(() => _segmenter, async () =>
        {
            var (folder, _) = await options.Resolve(options.Settings.Models.Segmenter, "segmenter", cancellationToken).ConfigureAwait(false);
            return _segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = options.Settings.Runtime, EmbeddingCacheCapacity = Math.Max(4, options.MaxImages) });
        }, cancellationToken).ConfigureAwait(false);

    public async Task<IInpainter> InpainterAsync(InpainterKind kind, CancellationToken cancellationToken)
    {
        if (_inpainters.TryGetValue(kind, out var open))
        {
            return open;
        }

        return await OpenAsync(() => _inpainters.GetValueOrDefault(kind), async () =>
        {
            string? model = null;
            if (kind != InpainterKind.Classical)
            {
                string? value = kind == InpainterKind.Lama ? options.LamaModel : options.StableDiffusionModel;
                (model, _) = await options.Resolve(value ?? InpainterFactory.DefaultSet(kind), "inpainter", cancellationToken).ConfigureAwait(false);
            }

            var inpainter = InpainterFactory.Create(kind, model, options.Settings.Runtime);
            _inpainters[kind] = inpainter;
            return inpainter;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> OpenAsync<T>(Func<T?> current, Func<Task<T>> open, CancellationToken cancellationToken)
        where T : class
    {
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return current() ?? await open().ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }

    public void Dispose()
    {
        _detector?.Dispose();
        _segmenter?.Dispose();
        foreach (var inpainter in _inpainters.Values)
        {
            inpainter.Dispose();
        }

        _opening.Dispose();
    }
}
