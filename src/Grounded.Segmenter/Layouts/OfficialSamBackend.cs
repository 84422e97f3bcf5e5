using Grounded.Imaging;
using Grounded.Masks;
using Grounded.Onnx;
using Grounded.Segmenter.Processing;
using Grounded.Tensors;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// segment-anything's ONNX layout. The exported decoder takes one prompt per call (point_coords [1, N, 2]), so a
/// request of several prompts runs the decoder once per prompt against the same embedding.
/// </summary>
internal sealed class OfficialSamBackend : ISamBackend
{
    private const float PaddingLabel = -1f;

    private static readonly ModelContract DecoderContract = new(
        [
            TensorSpec.Float("image_embeddings", 4), TensorSpec.Float("point_coords", 3), TensorSpec.Float("point_labels", 2),
            TensorSpec.Float("mask_input", 4), TensorSpec.Float("has_mask_input", 1), TensorSpec.Float("orig_im_size", 1),
        ],
        [TensorSpec.Float("masks", 4), TensorSpec.Float("iou_predictions", 2), TensorSpec.Float("low_res_masks", 4)]);

    private readonly OnnxModel _encoder;
    private readonly EncoderArena _encoderArena = new();
    private readonly FloatBufferPool _inputBuffers = new();
    private readonly OnnxModel _decoder;
    private readonly string _encoderInput;
    private readonly string _encoderOutput;
    private readonly int _maskInputSize;
    private readonly Lazy<OfficialLowResolutionDecoder> _lowResolution;
    private readonly MaskResamplerCache _resamplers = new(Preprocessing.PadSize);
    private int _encodes;
    private Task? _makingLowResolution;

    private OfficialSamBackend(OnnxModel encoder, OnnxModel decoder, string encoderInput, string encoderOutput, RuntimeOptions runtime)
    {
        _encoder = encoder;
        _decoder = decoder;
        _encoderInput = encoderInput;
        _encoderOutput = encoderOutput;
        int[] maskDims = decoder.InputDimensions("mask_input");
        _maskInputSize = maskDims[^1] > 0 ? maskDims[^1] : 256;
        // Made on first use: segment-everything and previews need it, a box or a click does not.
        _lowResolution = new(() => OfficialLowResolutionDecoder.Create(decoder, runtime), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public TimeSpan OnnxRunTime => _encoder.TotalRunTime + _decoder.TotalRunTime + (_lowResolution.IsValueCreated ? _lowResolution.Value.OnnxRunTime : TimeSpan.Zero);

    /// <summary>Which decoder graph serves low-resolution work (made now if it was not yet): for benchmarks and tests.</summary>
    internal string LowResolutionDecoderKind => _lowResolution.Value.Kind;

    /// <summary>Whether segment-everything decodes masks only for prompts above its IoU minimum (made now if it was not yet): for benchmarks and tests.</summary>
    internal bool LowResolutionDecodesIouFirst => _lowResolution.Value.DecodesIouFirst;

    /// <summary>Whether that graph's batches share the image side of the decoder (made now if it was not yet): for benchmarks and tests.</summary>
    internal bool LowResolutionSharesImageTokens => _lowResolution.Value.SharesImageTokens;

    /// <summary>Whether the specialised low-resolution graph has been made: for tests.</summary>
    internal bool LowResolutionDecoderMade => _lowResolution.IsValueCreated;

    /// <summary>The making of the specialised graph that a second image started (done when none was started): for tests.</summary>
    internal Task MakingLowResolutionDecoder => Volatile.Read(ref _makingLowResolution) ?? Task.CompletedTask;

    public SamModelLayout Layout => SamModelLayout.Official;

    private static SamPreprocessing Preprocessing => SamPreprocessing.Official;

    public static OfficialSamBackend Open(string encoderPath, string decoderPath, RuntimeOptions runtime)
    {
        var (encoder, decoder) = OnnxModel.OpenTogether(() => OnnxModel.Open(encoderPath, runtime), () => OnnxModel.Open(decoderPath, runtime, DecoderContract));
        try
        {
            // Two encoder contracts exist: `image` [1,3,1024,1024] normalised and padded by the caller, or
            // `input_image` [H,W,3] of raw 0..255 values with normalisation and padding inside the graph.
            string input = encoder.HasInput("image") ? "image" : encoder.HasInput("input_image") ? "input_image" : "image";
            encoder.Verify(new ModelContract([TensorSpec.Float(input, input == "image" ? 4 : 3)], []));
            string output = encoder.Outputs.ContainsKey("image_embeddings") ? "image_embeddings" : encoder.Outputs.Keys.First();
            encoder.Verify(new ModelContract([], [TensorSpec.Float(output, 4)]));
            return new OfficialSamBackend(encoder, decoder, input, output, runtime);
        }
        catch
        {
            decoder.Dispose();
            encoder.Dispose();
            throw;
        }
    }

    public ImageEmbedding Encode(RgbImage image, string key, CancellationToken cancellationToken)
    {
        // Making the specialised decoder costs about a second (rewrite, session, probes) and saves some 13 ms a box:
        // a process that encodes a second image (a folder run, a server) makes it beside its work, one that encodes
        // a single image never does.
        if (Interlocked.Increment(ref _encodes) == 2)
        {
            Volatile.Write(ref _makingLowResolution, Task.Run(() => _lowResolution.Value, CancellationToken.None));
        }

        if (_encoderInput != "image")
        {
            var resized = Preprocessing.Resize(image);
            var raw = new TensorData<float>(ChwNormalizer.ToHwc255(resized), [resized.Height, resized.Width, 3]);
            return new ImageEmbedding(RunEncoder(raw, cancellationToken), null, image.Width, image.Height, resized.Width, resized.Height, key);
        }

        int pad = Preprocessing.PadSize;
        float[] buffer = _inputBuffers.Rent(3 * pad * pad);
        try
        {
            var (w, h) = Preprocessing.ResizeToTensor(image, buffer);
            return new ImageEmbedding(RunEncoder(new(buffer, [1, 3, pad, pad]), cancellationToken), null, image.Width, image.Height, w, h, key);
        }
        finally
        {
            _inputBuffers.Return(buffer);
        }
    }

    private TensorData<float> RunEncoder(TensorData<float> input, CancellationToken cancellationToken)
    {
        using var run = _encoderArena.Start(cancellationToken);
        return _encoder.Run(new Dictionary<string, TensorData<float>> { [_encoderInput] = input }, null, [_encoderOutput], run.Shrink, cancellationToken)[_encoderOutput];
    }

    public IReadOnlyList<SegmentedObject> Decode(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        // Every mask is made here from the low-resolution logits by SamPredictor's own two bilinear resamplings, so no
        // call computes the export's full-resolution upscale. Once the specialised graph exists (see Encode), prompts
        // of one point count (without a mask input, which a batch would share) are decoded together by it; until
        // then the original serves each prompt with a tiny orig_im_size: both give the same low-resolution logits.
        // Two workers: one's call runs while the other upscales and thresholds the masks its call answered.
        var results = new SegmentedObject[prompts.Count];
        var decoder = _lowResolution.IsValueCreated && prompts.Count(p => p.MaskInput is null) > 1 ? _lowResolution.Value : null;
        try
        {
            Parallel.ForEach(Calls(prompts, decoder?.MaxBatch ?? 1), new ParallelOptions { MaxDegreeOfParallelism = DecoderCallsInFlight, CancellationToken = cancellationToken }, call =>
            {
                var inputs = DecoderInputs(embedding, [.. call.Select(i => prompts[i])]);
                var answers = decoder is not null && prompts[call[0]].MaskInput is null
                    ? decoder.Run(inputs, o => Answering(o, multimask), cancellationToken)
                    : OfficialLowResolutionDecoder.RunOriginal(_decoder, inputs, o => Answering(o, multimask), cancellationToken);
                var resampler = _resamplers.For(embedding, answers.GridW, answers.GridH);
                for (int b = 0; b < call.Length; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var logits = answers.Logits[b];
                    results[call[b]] = SamOutputs.Answer(answers.Scores[b], multimask, token => (resampler.ToMask(logits[token], threshold), logits[token]));
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return results;
    }

    private const int DecoderCallsInFlight = 2;

    /// <summary>The prompts' indices a call each: a prompt with a mask input alone, the others by point count, at most <paramref name="batch"/> a call.</summary>
    private static IEnumerable<int[]> Calls(IReadOnlyList<SamPrompt> prompts, int batch)
    {
        var alone = Enumerable.Range(0, prompts.Count).Where(i => prompts[i].MaskInput is not null).Select(i => new[] { i });
        var together = Enumerable.Range(0, prompts.Count).Where(i => prompts[i].MaskInput is null)
            .GroupBy(i => PointCount(prompts[i]))
            .SelectMany(g => g.Chunk(batch));
        return [.. alone.Concat(together)];
    }

    /// <summary>Each prompt's predicted IoUs and the low-resolution logits of its answering tokens (copied out; null for the others).</summary>
    private static (float[][] Scores, float[][][] Logits, int GridW, int GridH) Answering(OnnxOutputs o, bool multimask)
    {
        var batch = new LowResolutionBatch(o);
        var scores = new float[batch.Prompts][];
        var logits = new float[batch.Prompts][][];
        for (int b = 0; b < batch.Prompts; b++)
        {
            scores[b] = batch.Scores(b).ToArray();
            logits[b] = new float[batch.Tokens][];
            foreach (int token in SamOutputs.Tokens(scores[b], batch.Tokens, multimask))
            {
                logits[b][token] = batch.Logits(b, token).ToArray();
            }
        }

        return (scores, logits, batch.GridW, batch.GridH);
    }

    public SegmentedObject DecodeLowResolution(ImageEmbedding embedding, SamPrompt prompt, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        // Only the answering tokens' corners are cropped (one without multimask).
        return _lowResolution.Value.Run(DecoderInputs(embedding, [prompt]), o =>
        {
            var batch = new LowResolutionBatch(o);
            var (w, h) = LowResolutionMasks.Extent(embedding, batch.GridW, Preprocessing.PadSize);
            var answers = new (Masks.BinaryMask Mask, float[] LowRes)[batch.Tokens];
            foreach (int token in SamOutputs.Tokens(batch.Scores(0), batch.Tokens, multimask))
            {
                var logits = batch.Logits(0, token);
                answers[token] = (LowResolutionMasks.Crop(logits, batch.GridW, w, Math.Min(h, batch.GridH), threshold), logits.ToArray());
            }

            return SamOutputs.Answer(batch.Scores(0), multimask, token => answers[token]);
        }, cancellationToken);
    }

    public async Task DecodeSinglePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken)
    {
        // The points go to the low-resolution decoder in batches (one point a call where the graph cannot batch).
        // With an IoU minimum, a batched graph cut after its IoU head decodes masks only for the prompts with a
        // candidate above it (IouFirstDecoder). Candidates that fail the IoU filter are dropped where ONNX Runtime left them; the others' logits are
        // copied out and upscaled to the image, by the reference's own resampling, while the next batch decodes.
        // The last upscaling is awaited even when a call fails or is cancelled, so the sink is never called after
        // this returns.
        var decoder = _lowResolution.Value;
        Task pending = Task.CompletedTask;
        try
        {
            for (int start = 0; start < points.Count; start += decoder.MaxBatch)
            {
                var prompts = points.Skip(start).Take(decoder.MaxBatch).Select(p => SamPrompt.FromPoints(new Geometry.PromptPoint(p.X, p.Y))).ToList();
                int first = start;
                var inputs = DecoderInputs(embedding, prompts);
                var (kept, gridW, gridH) = minimumPredictedIou is { } minimum && decoder.RunIouFirst(inputs, prompts.Count, first, minimum, cancellationToken) is { } cut
                    ? cut
                    : decoder.Run(inputs, o => Survivors(o, first, minimumPredictedIou), cancellationToken);
                await pending.ConfigureAwait(false);
                pending = kept.Count == 0 ? Task.CompletedTask : Task.Run(() => PointCandidates.Report(kept, embedding, _resamplers.For(embedding, gridW, gridH), sink, cancellationToken), CancellationToken.None);
            }
        }
        finally
        {
            await pending.ConfigureAwait(false);
        }
    }

    /// <summary>The multimask candidates of one batch that pass the IoU filter, their logits copied out.</summary>
    private static (List<PointCandidate> Kept, int GridW, int GridH) Survivors(OnnxOutputs o, int firstPoint, float? minimumPredictedIou)
    {
        var batch = new LowResolutionBatch(o);
        var kept = new List<PointCandidate>();
        for (int p = 0; p < batch.Prompts; p++)
        {
            PointCandidates.AddReported(kept, firstPoint + p, batch.Scores(p), batch.Logits(p), minimumPredictedIou);
        }

        return (kept, batch.GridW, batch.GridH);
    }

    private static readonly string[] DecoderOutputs = ["masks", "iou_predictions", "low_res_masks"];

    /// <summary>Runs the decoder for one prompt with the reference's feeds (outputs copied: they outlive the run).</summary>
    internal IReadOnlyDictionary<string, TensorData<float>> DecodeRaw(ImageEmbedding embedding, SamPrompt prompt, CancellationToken cancellationToken) =>
        _decoder.Run(DecoderInputs(embedding, prompt), null, DecoderOutputs, Large(embedding), cancellationToken);

    /// <summary>The export upscales every mask to the image in-graph: a large image's outputs are given back after each call.</summary>
    private static bool Large(ImageEmbedding embedding) => (long)embedding.OriginalWidth * embedding.OriginalHeight > OnnxModel.LargeImagePixels;

    /// <summary>The decoder's feeds for one prompt.</summary>
    private Dictionary<string, TensorData<float>> DecoderInputs(ImageEmbedding embedding, SamPrompt prompt) => DecoderInputs(embedding, [prompt]);

    /// <summary>
    /// The decoder's feeds for prompts of one point count (a batch is for the specialised graph; the export itself
    /// takes one). A mask input can only come with a single prompt: the batch shares mask_input.
    /// </summary>
    private Dictionary<string, TensorData<float>> DecoderInputs(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts)
    {
        var (coords, labels) = BuildPoints(embedding, prompts);
        int size = _maskInputSize;
        float[]? given = prompts.Count == 1 ? prompts[0].MaskInput : null;
        float[] maskInput = given ?? new float[size * size];
        if (maskInput.Length != size * size)
        {
            throw new InvalidRequestException($"A mask input must be {size}x{size} low-resolution logits; got {maskInput.Length} values.");
        }

        return new Dictionary<string, TensorData<float>>
        {
            ["image_embeddings"] = embedding.Embeddings,
            ["point_coords"] = coords,
            ["point_labels"] = labels,
            ["mask_input"] = new(maskInput, [1, 1, size, size]),
            ["has_mask_input"] = new([given is null ? 0f : 1f], [1]),
            ["orig_im_size"] = new([embedding.OriginalHeight, embedding.OriginalWidth], [2]),
        };
    }

    /// <summary>
    /// point_coords [1, N, 2] in the resized frame and point_labels [1, N]: the clicks, then either the box corners
    /// (labels 2, 3) or, without a box, the padding point (0, 0) labelled -1, as segment-anything's ONNX example does.
    /// </summary>
    internal static (TensorData<float> Coords, TensorData<float> Labels) BuildPoints(ImageEmbedding e, SamPrompt prompt) => BuildPoints(e, [prompt]);

    /// <summary>point_coords [B, N, 2] and point_labels [B, N] for prompts that all have N points (padding included).</summary>
    private static (TensorData<float> Coords, TensorData<float> Labels) BuildPoints(ImageEmbedding e, IReadOnlyList<SamPrompt> prompts)
    {
        int n = PointCount(prompts[0]);
        if (prompts.Any(p => PointCount(p) != n))
        {
            throw new ArgumentException("A batch of prompts must have one point count.", nameof(prompts));
        }

        var coords = new float[prompts.Count * n * 2];
        var labels = new float[prompts.Count * n];
        for (int b = 0; b < prompts.Count; b++)
        {
            var prompt = prompts[b];
            int k = b * n;
            foreach (var p in prompt.Points)
            {
                coords[k * 2] = PromptTransform.X(p.X, e);
                coords[k * 2 + 1] = PromptTransform.Y(p.Y, e);
                labels[k++] = p.IsPositive ? 1 : 0;
            }

            if (prompt.Box is { } box)
            {
                coords[k * 2] = PromptTransform.X(box.X0, e);
                coords[k * 2 + 1] = PromptTransform.Y(box.Y0, e);
                labels[k++] = 2;
                coords[k * 2] = PromptTransform.X(box.X1, e);
                coords[k * 2 + 1] = PromptTransform.Y(box.Y1, e);
                labels[k] = 3;
            }
            else
            {
                labels[k] = PaddingLabel;
            }
        }

        return (new TensorData<float>(coords, [prompts.Count, n, 2]), new TensorData<float>(labels, [prompts.Count, n]));
    }

    private static int PointCount(SamPrompt prompt) => prompt.Points.Count + (prompt.Box is null ? 1 : 2);

    public void Dispose()
    {
        try
        {
            MakingLowResolutionDecoder.Wait();
        }
        catch (AggregateException)
        {
            // Its failure was the making's own; the sessions below are disposed either way.
        }

        if (_lowResolution.IsValueCreated)
        {
            _lowResolution.Value.Dispose();
        }

        _encoder.Dispose();
        _decoder.Dispose();
        _encoderArena.Dispose();
    }
}
