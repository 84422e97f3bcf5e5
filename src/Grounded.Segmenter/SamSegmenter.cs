using Grounded.Imaging;
using Grounded.Segmenter.Layouts;

namespace Grounded.Segmenter;

/// <summary>
/// A SAM-family segmenter over either ONNX layout, detected from the model folder. Owns its ONNX sessions; dispose it.
/// Safe for concurrent calls.
/// </summary>
public sealed class SamSegmenter : ISegmenter
{
    private readonly ISamBackend _backend;
    private readonly EmbeddingCache _cache;
    private readonly int _cacheCapacity;
    private long _uncachedKeys;
    private int _encoderRuns;

    private SamSegmenter(ISamBackend backend, SegmenterOptions options)
    {
        _backend = backend;
        _cache = new EmbeddingCache(options.EmbeddingCacheCapacity);
        _cacheCapacity = options.EmbeddingCacheCapacity;
    }

    /// <summary>The layout found in the model folder.</summary>
    public SamModelLayout Layout => _backend.Layout;

    /// <summary>Time spent inside ONNX Runtime so far (profiling: the rest of a call is Grounded's own work).</summary>
    public TimeSpan OnnxRunTime => _backend.OnnxRunTime;

    /// <summary>How many times the encoder actually ran (cache misses).</summary>
    public int EncoderRuns => _encoderRuns;

    /// <summary>Opens the SAM model in <paramref name="modelDirectory"/>, detecting its layout.</summary>
    /// <exception cref="Onnx.ModelContractException">A model file lacks a tensor the layout needs.</exception>
    public static SamSegmenter Create(string modelDirectory, SegmenterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        options ??= SegmenterOptions.Default;
        var folder = SamModelFolder.Detect(modelDirectory);
        ISamBackend backend = folder.Layout == SamModelLayout.HuggingFace
            ? HuggingFaceSamBackend.Open(folder.EncoderPath, folder.DecoderPath, folder.PreprocessorConfigPath, options.Runtime)
            : OfficialSamBackend.Open(folder.EncoderPath, folder.DecoderPath, options.Runtime);
        return new SamSegmenter(backend, options);
    }

    internal ISamBackend Backend => _backend;

    /// <inheritdoc />
    public Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Task.Run(() =>
        {
            // Without a cache no image is hashed: each encoding gets a key of its own.
            bool cached = _cacheCapacity > 0;
            string key = cached ? EmbeddingCache.KeyOf(image) : $"uncached-{Interlocked.Increment(ref _uncachedKeys)}";
            if (cached && _cache.TryGet(key, out var hit))
            {
                return hit;
            }

            var embedding = _backend.Encode(image, key, cancellationToken);
            Interlocked.Increment(ref _encoderRuns);
            if (cached)
            {
                _cache.Add(embedding);
            }

            return embedding;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        if (request.Prompts.Count == 0)
        {
            return Task.FromResult(new SegmentationResult([]));
        }

        return Task.Run(() => new SegmentationResult(_backend.Decode(embedding, request.Prompts, request.Options.Multimask, request.Options.MaskThreshold, cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// One prompt's masks at the decoder's own low resolution (the corner of its 256×256 grid that covers the image;
    /// stretch it over the image to draw it): one decoder call and no upscaling, for previews under a moving pointer.
    /// </summary>
    public Task<SegmentedObject> PreviewAsync(ImageEmbedding embedding, SamPrompt prompt, SegmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= SegmentOptions.Default;
        Validate(new SegmentationRequest { Prompts = [prompt], Options = options });
        return Task.Run(() => _backend.DecodeLowResolution(embedding, prompt, options.Multimask, options.MaskThreshold, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(sink);
        return Task.Run(() => _backend.DecodeSinglePointsAsync(embedding, points, minimumPredictedIou, sink, cancellationToken), cancellationToken);
    }

    /// <summary>Encodes (or reuses the cached embedding of) <paramref name="image"/>, then decodes the prompts.</summary>
    public async Task<SegmentationResult> SegmentAsync(RgbImage image, SegmentationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var embedding = await EncodeAsync(image, cancellationToken).ConfigureAwait(false);
        return await SegmentAsync(embedding, request, cancellationToken).ConfigureAwait(false);
    }

    private static void Validate(SegmentationRequest request)
    {
        foreach (var prompt in request.Prompts)
        {
            if (prompt.Points.Count == 0 && prompt.Box is null)
            {
                throw new InvalidRequestException("A SAM prompt needs at least one point or a box.");
            }

            if (prompt.Points.Any(p => !float.IsFinite(p.X) || !float.IsFinite(p.Y))
                || (prompt.Box is { } b && !(float.IsFinite(b.X0) && float.IsFinite(b.Y0) && float.IsFinite(b.X1) && float.IsFinite(b.Y1))))
            {
                throw new InvalidRequestException("Prompt coordinates must be finite numbers.");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _backend.Dispose();
}
