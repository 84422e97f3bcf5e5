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
    private readonly OnnxModel _decoder;
    private readonly string _encoderInput;
    private readonly string _encoderOutput;
    private readonly int _maskInputSize;

    private OfficialSamBackend(OnnxModel encoder, OnnxModel decoder, string encoderInput, string encoderOutput)
    {
        _encoder = encoder;
        _decoder = decoder;
        _encoderInput = encoderInput;
        _encoderOutput = encoderOutput;
        int[] maskDims = decoder.InputDimensions("mask_input");
        _maskInputSize = maskDims[^1] > 0 ? maskDims[^1] : 256;
    }

    public TimeSpan OnnxRunTime => _encoder.TotalRunTime + _decoder.TotalRunTime;

    public SamModelLayout Layout => SamModelLayout.Official;

    private static SamPreprocessing Preprocessing => SamPreprocessing.Official;

    public static OfficialSamBackend Open(string encoderPath, string decoderPath, RuntimeOptions runtime)
    {
        var encoder = OnnxModel.Open(encoderPath, runtime);
        try
        {
            // Two encoder contracts exist: `image` [1,3,1024,1024] normalised and padded by the caller, or
            // `input_image` [H,W,3] of raw 0..255 values with normalisation and padding inside the graph.
            string input = encoder.HasInput("image") ? "image" : encoder.HasInput("input_image") ? "input_image" : "image";
            encoder.Verify(new ModelContract([TensorSpec.Float(input, input == "image" ? 4 : 3)], []));
            string output = encoder.Outputs.ContainsKey("image_embeddings") ? "image_embeddings" : encoder.Outputs.Keys.First();
            encoder.Verify(new ModelContract([], [TensorSpec.Float(output, 4)]));
            var decoder = OnnxModel.Open(decoderPath, runtime, DecoderContract);
            return new OfficialSamBackend(encoder, decoder, input, output);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    public ImageEmbedding Encode(RgbImage image, string key, CancellationToken cancellationToken)
    {
        var resized = Preprocessing.Resize(image);
        TensorData<float> input = _encoderInput == "image"
            ? new(Preprocessing.ToTensor(resized), [1, 3, Preprocessing.PadSize, Preprocessing.PadSize])
            : new(ChwNormalizer.ToHwc255(resized), [resized.Height, resized.Width, 3]);
        var outputs = _encoder.Run(new Dictionary<string, TensorData<float>> { [_encoderInput] = input }, null, [_encoderOutput], shrinkArena: true, cancellationToken);
        return new ImageEmbedding(outputs[_encoderOutput], null, image.Width, image.Height, resized.Width, resized.Height, key);
    }

    public IReadOnlyList<SegmentedObject> Decode(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        // The export decodes one prompt a call; two calls in flight on the one session keep the cores busy while
        // each call's single-threaded parts (and the thresholding below) run.
        var results = new SegmentedObject[prompts.Count];
        try
        {
            Parallel.For(0, prompts.Count, new ParallelOptions { MaxDegreeOfParallelism = DecoderCallsInFlight, CancellationToken = cancellationToken }, i =>
                results[i] = DecodeOne(embedding, prompts[i], multimask, threshold, cancellationToken));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return results;
    }

    private const int DecoderCallsInFlight = 2;

    private SegmentedObject DecodeOne(ImageEmbedding embedding, SamPrompt prompt, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        // The full-resolution logits are thresholded where ONNX Runtime left them, not copied out first.
        var (iou, candidates) = _decoder.Run(DecoderInputs(embedding, prompt), null, DecoderOutputs, o =>
        {
            var masks = o.Floats("masks");
            var lowRes = o.Floats("low_res_masks");
            long[] shape = o.Shape("masks"), lowShape = o.Shape("low_res_masks");
            int count = (int)shape[1], h = (int)shape[2], w = (int)shape[3];
            int lowSize = (int)(lowShape[2] * lowShape[3]);
            var all = new (BinaryMask Mask, float[] LowRes)[count];
            for (int m = 0; m < count; m++)
            {
                all[m] = (BinaryMask.FromThreshold(masks.Slice(m * h * w, h * w), w, h, threshold), lowRes.Slice(m * lowSize, lowSize).ToArray());
            }

            return (o.Copy("iou_predictions"), all);
        }, Large(embedding), cancellationToken);
        return SamOutputs.Select(ToBatchOfOne(iou), multimask, (_, m) => candidates[m])[0];
    }

    public SegmentedObject DecodeLowResolution(ImageEmbedding embedding, SamPrompt prompt, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        // The export always upscales 'masks' to orig_im_size in-graph; asking for a 16-pixel image makes that part
        // nearly free, and only the low-resolution logits (which do not depend on orig_im_size) are read.
        var inputs = DecoderInputs(embedding, prompt);
        int longest = Math.Max(embedding.OriginalWidth, embedding.OriginalHeight);
        inputs["orig_im_size"] = new([Math.Max(1, embedding.OriginalHeight * 16 / longest), Math.Max(1, embedding.OriginalWidth * 16 / longest)], [2]);
        var (iou, candidates) = _decoder.Run(inputs, null, LowResolutionOutputs, o =>
        {
            var lowRes = o.Floats("low_res_masks");
            long[] shape = o.Shape("low_res_masks");
            int count = (int)shape[1], gridH = (int)shape[2], gridW = (int)shape[3];
            var (w, h) = LowResolutionMasks.Extent(embedding, gridW, Preprocessing.PadSize);
            var all = new (Masks.BinaryMask Mask, float[] LowRes)[count];
            for (int m = 0; m < count; m++)
            {
                var logits = lowRes.Slice(m * gridH * gridW, gridH * gridW);
                all[m] = (LowResolutionMasks.Crop(logits, gridW, w, Math.Min(h, gridH), threshold), logits.ToArray());
            }

            return (o.Copy("iou_predictions"), all);
        }, false, cancellationToken);
        return SamOutputs.Select(ToBatchOfOne(iou), multimask, (_, m) => candidates[m])[0];
    }

    private static readonly string[] LowResolutionOutputs = ["iou_predictions", "low_res_masks"];

    public async Task DecodeSinglePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, PointMaskSink sink, CancellationToken cancellationToken)
    {
        // The export has no prompt-batch axis: one decoder call per point, each with the padding point. The next
        // call runs while the previous point's masks are post-processed; the last post-processing is awaited even
        // when a call fails or is cancelled, so the sink is never called after this returns.
        Task pending = Task.CompletedTask;
        try
        {
            for (int p = 0; p < points.Count; p++)
            {
                var outputs = DecodeRaw(embedding, SamPrompt.FromPoints(new Geometry.PromptPoint(points[p].X, points[p].Y)), cancellationToken);
                await pending.ConfigureAwait(false);
                int point = p;
                pending = Task.Run(() =>
                {
                    var masks = outputs["masks"];
                    var iou = outputs["iou_predictions"].Data;
                    int m = (int)masks.Shape[1], size = (int)(masks.Shape[2] * masks.Shape[3]);
                    int first = m == 4 ? 1 : 0;
                    Parallel.For(first, m, token => sink(point, token - first, iou[token], masks.Data.AsSpan(token * size, size)));
                }, CancellationToken.None);
            }
        }
        finally
        {
            await pending.ConfigureAwait(false);
        }
    }

    private static readonly string[] DecoderOutputs = ["masks", "iou_predictions", "low_res_masks"];

    /// <summary>Runs the decoder for one prompt with the reference's feeds (outputs copied: they outlive the run).</summary>
    internal IReadOnlyDictionary<string, TensorData<float>> DecodeRaw(ImageEmbedding embedding, SamPrompt prompt, CancellationToken cancellationToken) =>
        _decoder.Run(DecoderInputs(embedding, prompt), null, DecoderOutputs, Large(embedding), cancellationToken);

    /// <summary>The export upscales every mask to the image in-graph: a large image's outputs are given back after each call.</summary>
    private static bool Large(ImageEmbedding embedding) => (long)embedding.OriginalWidth * embedding.OriginalHeight > OnnxModel.LargeImagePixels;

    /// <summary>The decoder's feeds for one prompt.</summary>
    private Dictionary<string, TensorData<float>> DecoderInputs(ImageEmbedding embedding, SamPrompt prompt)
    {
        var (coords, labels) = BuildPoints(embedding, prompt);
        int size = _maskInputSize;
        float[] maskInput = prompt.MaskInput ?? new float[size * size];
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
            ["has_mask_input"] = new([prompt.MaskInput is null ? 0f : 1f], [1]),
            ["orig_im_size"] = new([embedding.OriginalHeight, embedding.OriginalWidth], [2]),
        };
    }

    /// <summary>
    /// point_coords [1, N, 2] in the resized frame and point_labels [1, N]: the clicks, then either the box corners
    /// (labels 2, 3) or, without a box, the padding point (0, 0) labelled -1, as segment-anything's ONNX example does.
    /// </summary>
    internal static (TensorData<float> Coords, TensorData<float> Labels) BuildPoints(ImageEmbedding e, SamPrompt prompt)
    {
        int n = prompt.Points.Count + (prompt.Box is null ? 1 : 2);
        var coords = new float[n * 2];
        var labels = new float[n];
        int k = 0;
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

        return (new TensorData<float>(coords, [1, n, 2]), new TensorData<float>(labels, [1, n]));
    }

    private static TensorData<float> ToBatchOfOne(TensorData<float> iou) => new(iou.Data, [1, 1, iou.Shape[^1]]);

    public void Dispose()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }
}
