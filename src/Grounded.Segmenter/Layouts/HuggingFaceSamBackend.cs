using System.Runtime.InteropServices;
using Grounded.Tensors;
using Grounded.Imaging;
using Grounded.Onnx;
using Grounded.Segmenter.Processing;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// The Hugging Face / Transformers.js SAM layout. All prompts of a request go to the decoder in one call along its
/// point_batch axis; prompts with fewer points are padded with label -10, which the prompt encoder ignores.
/// </summary>
internal sealed class HuggingFaceSamBackend : ISamBackend
{
    // HF label meanings: 1 positive, 0 negative, 2/3 box corners, -10 padding.
    private const long PaddingLabel = -10;

    private static readonly ModelContract EncoderContract = new(
        [TensorSpec.Float("pixel_values", 4)],
        [TensorSpec.Float("image_embeddings", 4), TensorSpec.Float("image_positional_embeddings", 4)]);

    private static readonly ModelContract DecoderContract = new(
        [TensorSpec.Float("image_embeddings", 4), TensorSpec.Float("image_positional_embeddings", 4)],
        [TensorSpec.Float("iou_scores", 3), TensorSpec.Float("pred_masks", 5)]);

    private static readonly ModelContract PointsContract = new(
        [TensorSpec.Float("input_points", 4), TensorSpec.Int64("input_labels", 3)], []);

    private static readonly ModelContract BoxesContract = new([TensorSpec.Float("input_boxes", 3)], []);

    private readonly OnnxModel _encoder;
    private readonly EncoderArena _encoderArena = new();
    private readonly FloatBufferPool _inputBuffers = new();
    private readonly OnnxModel _decoder;
    private readonly SamPreprocessing _preprocessing;
    private readonly bool _takesPoints;
    private readonly MaskResamplerCache _resamplers;
    private TensorData<float>? _positional;

    private HuggingFaceSamBackend(OnnxModel encoder, OnnxModel decoder, SamPreprocessing preprocessing)
    {
        _encoder = encoder;
        _decoder = decoder;
        _preprocessing = preprocessing;
        _resamplers = new MaskResamplerCache(preprocessing.PadSize);
        _takesPoints = decoder.HasInput("input_points");
    }

    public TimeSpan OnnxRunTime => _encoder.TotalRunTime + _decoder.TotalRunTime;

    public SamModelLayout Layout => SamModelLayout.HuggingFace;

    public static HuggingFaceSamBackend Open(string encoderPath, string decoderPath, string? configPath, RuntimeOptions runtime)
    {
        var preprocessing = configPath is null ? SamPreprocessing.FromDefaults() : SamPreprocessing.FromHuggingFaceConfig(configPath);
        var (encoder, decoder) = OnnxModel.OpenTogether(() => OnnxModel.Open(encoderPath, runtime, EncoderContract), () => OnnxModel.Open(decoderPath, runtime, DecoderContract));
        try
        {
            decoder.Verify(decoder.HasInput("input_points") || !decoder.HasInput("input_boxes") ? PointsContract : BoxesContract);
            return new HuggingFaceSamBackend(encoder, decoder, preprocessing);
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
        int pad = _preprocessing.PadSize;
        float[] buffer = _inputBuffers.Rent(3 * pad * pad);
        try
        {
            var (w, h) = _preprocessing.ResizeToTensor(image, buffer);
            return EncodeTensor(buffer, image.Width, image.Height, w, h, key, cancellationToken);
        }
        finally
        {
            _inputBuffers.Return(buffer);
        }
    }

    /// <summary>Runs the encoder on an already pre-processed [1, 3, pad, pad] tensor.</summary>
    internal ImageEmbedding EncodeTensor(float[] pixelValues, int width, int height, int resizedWidth, int resizedHeight, string key, CancellationToken cancellationToken)
    {
        int pad = _preprocessing.PadSize;
        using var run = _encoderArena.Start(cancellationToken);
        var (embeddings, positional) = _encoder.Run(
            new Dictionary<string, TensorData<float>> { ["pixel_values"] = new(pixelValues, [1, 3, pad, pad]) },
            null,
            ["image_embeddings", "image_positional_embeddings"],
            outputs => (outputs.Copy("image_embeddings"), Positional(outputs)),
            run.Shrink,
            cancellationToken);
        return new ImageEmbedding(embeddings, positional, width, height, resizedWidth, resizedHeight, key);
    }

    /// <summary>
    /// The run's positional embeddings: the model's, the same for every image, so the copy of an earlier run is shared
    /// once the new values are checked equal to it. Each image then costs one fresh 4 MB array (its embeddings), not two:
    /// first touches of fresh memory were most of a warm click's time outside ONNX Runtime.
    /// </summary>
    private TensorData<float> Positional(OnnxOutputs outputs)
    {
        var values = outputs.Floats("image_positional_embeddings");
        var shape = outputs.Shape("image_positional_embeddings");
        var earlier = Volatile.Read(ref _positional);
        if (earlier is not null && earlier.Shape.AsSpan().SequenceEqual(shape) && MemoryMarshal.Cast<float, int>(values).SequenceEqual(MemoryMarshal.Cast<float, int>(earlier.Data.AsSpan())))
        {
            return earlier;
        }

        var copy = new TensorData<float>(values.ToArray(), shape);
        Volatile.Write(ref _positional, copy);
        return copy;
    }

    public IReadOnlyList<SegmentedObject> Decode(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        var (iou, masks) = DecodeRaw(embedding, prompts, cancellationToken);
        int lowH = (int)masks.Shape[3], lowW = (int)masks.Shape[4];
        var resampler = _resamplers.For(embedding, lowW, lowH);
        return SamOutputs.Select(iou, multimask, (p, m) =>
        {
            var logits = masks.Data.AsSpan(((p * (int)masks.Shape[2]) + m) * lowH * lowW, lowH * lowW);
            return (resampler.ToMask(logits, threshold), logits.ToArray());
        });
    }

    public SegmentedObject DecodeLowResolution(ImageEmbedding embedding, SamPrompt prompt, bool multimask, float threshold, CancellationToken cancellationToken)
    {
        var (iou, masks) = DecodeRaw(embedding, [prompt], cancellationToken);
        int lowH = (int)masks.Shape[3], lowW = (int)masks.Shape[4];
        var (w, h) = LowResolutionMasks.Extent(embedding, lowW, _preprocessing.PadSize);
        return SamOutputs.Select(iou, multimask, (p, m) =>
        {
            var logits = masks.Data.AsSpan(((p * (int)masks.Shape[2]) + m) * lowH * lowW, lowH * lowW);
            return (LowResolutionMasks.Crop(logits, lowW, w, Math.Min(h, lowH), threshold), logits.ToArray());
        })[0];
    }

    public Task DecodeSinglePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken)
    {
        DecodeSinglePoints(embedding, points, minimumPredictedIou, sink, cancellationToken);
        return Task.CompletedTask;
    }

    private void DecodeSinglePoints(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken)
    {
        var prompts = points.Select(p => SamPrompt.FromPoints(new Geometry.PromptPoint(p.X, p.Y))).ToList();
        var (iou, masks) = DecodeRaw(embedding, prompts, cancellationToken);
        int m = (int)masks.Shape[2], lowH = (int)masks.Shape[3], lowW = (int)masks.Shape[4];
        int first = PointCandidates.FirstCandidateToken(m);
        // Only candidates that pass the IoU filter are upscaled to the image.
        int grid = lowH * lowW;
        var kept = new List<PointCandidate>();
        for (int p = 0; p < points.Count; p++)
        {
            for (int token = first; token < m; token++)
            {
                float score = iou.Data[(p * m) + token];
                if (PointCandidates.Reported(score, minimumPredictedIou))
                {
                    kept.Add(new PointCandidate(p, token - first, score, masks.Data.AsMemory(((p * m) + token) * grid, grid)));
                }
            }
        }

        PointCandidates.Report(kept, embedding, _resamplers.For(embedding, lowW, lowH), sink, cancellationToken);
    }

    /// <summary>Runs the decoder: iou_scores [1, P, M] and pred_masks [1, P, M, 256, 256] low-res logits.</summary>
    internal (TensorData<float> Iou, TensorData<float> Masks) DecodeRaw(ImageEmbedding embedding, IReadOnlyList<SamPrompt> prompts, CancellationToken cancellationToken)
    {
        if (prompts.Any(p => p.MaskInput is not null))
        {
            throw new GroundedException($"The Hugging Face SAM decoder '{_decoder.Path}' takes no mask input; refinement needs the segment-anything layout.");
        }

        var inputs = new Dictionary<string, TensorData<float>>
        {
            ["image_embeddings"] = embedding.Embeddings,
            ["image_positional_embeddings"] = embedding.PositionalEmbeddings
                ?? throw new GroundedException("This image embedding came from another SAM layout."),
        };
        Dictionary<string, TensorData<long>>? longs = null;
        if (_takesPoints)
        {
            var (points, labels) = BuildPoints(embedding, prompts);
            inputs["input_points"] = points;
            longs = new() { ["input_labels"] = labels };
        }
        else
        {
            inputs["input_boxes"] = BuildBoxes(embedding, prompts);
        }

        // Segment-everything's batches of 64 prompts (and large images) give the arena back; a few boxes do not.
        bool shrink = prompts.Count >= 16 || (long)embedding.OriginalWidth * embedding.OriginalHeight > OnnxModel.LargeImagePixels;
        var outputs = _decoder.Run(inputs, longs, ["iou_scores", "pred_masks"], shrink, cancellationToken);
        return (outputs["iou_scores"], outputs["pred_masks"]);
    }

    /// <summary>input_points [1, P, N, 2] in the resized frame and input_labels [1, P, N]; a box becomes corners labelled 2 and 3.</summary>
    internal static (TensorData<float> Points, TensorData<long> Labels) BuildPoints(ImageEmbedding e, IReadOnlyList<SamPrompt> prompts)
    {
        int n = prompts.Max(p => p.Points.Count + (p.Box is null ? 0 : 2));
        int count = prompts.Count;
        var coords = new float[count * n * 2];
        var labels = new long[count * n];
        Array.Fill(labels, PaddingLabel);
        for (int p = 0; p < count; p++)
        {
            var prompt = prompts[p];
            int k = 0;
            foreach (var point in prompt.Points)
            {
                Put(p * n + k++, point.X, point.Y, point.IsPositive ? 1 : 0);
            }

            if (prompt.Box is { } box)
            {
                Put(p * n + k++, box.X0, box.Y0, 2);
                Put(p * n + k, box.X1, box.Y1, 3);
            }
        }

        return (new TensorData<float>(coords, [1, count, n, 2]), new TensorData<long>(labels, [1, count, n]));

        void Put(int index, float x, float y, long label)
        {
            coords[index * 2] = PromptTransform.X(x, e);
            coords[index * 2 + 1] = PromptTransform.Y(y, e);
            labels[index] = label;
        }
    }

    private static TensorData<float> BuildBoxes(ImageEmbedding e, IReadOnlyList<SamPrompt> prompts)
    {
        var data = new float[prompts.Count * 4];
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i].Points.Count > 0 || prompts[i].Box is not { } box)
            {
                throw new GroundedException("This SAM decoder takes boxes only (input_boxes); clicks need a decoder with input_points.");
            }

            data[i * 4] = PromptTransform.X(box.X0, e);
            data[i * 4 + 1] = PromptTransform.Y(box.Y0, e);
            data[i * 4 + 2] = PromptTransform.X(box.X1, e);
            data[i * 4 + 3] = PromptTransform.Y(box.Y1, e);
        }

        return new TensorData<float>(data, [1, prompts.Count, 4]);
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _decoder.Dispose();
        _encoderArena.Dispose();
    }
}
