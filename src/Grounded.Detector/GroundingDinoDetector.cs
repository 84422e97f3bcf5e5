using Grounded.Tensors;
using System.Text.Json;
using Grounded.Detector.Layouts;
using Grounded.Detector.Processing;
using Grounded.Detector.Text;
using Grounded.Imaging;
using Grounded.Onnx;
using Grounded.Onnx.Configs;

namespace Grounded.Detector;

/// <summary>
/// Open-vocabulary detection with a Grounding DINO ONNX model in either layout, detected from the model's inputs.
/// Owns its ONNX session; dispose it. Safe for concurrent calls.
/// </summary>
public sealed class GroundingDinoDetector : IDetector
{
    private static readonly ModelContract HuggingFaceContract = new(
        [TensorSpec.Float("pixel_values", 4), TensorSpec.Int64("input_ids", 2), TensorSpec.Int64("attention_mask", 2), TensorSpec.Int64("token_type_ids", 2)],
        [TensorSpec.Float("logits", 3), TensorSpec.Float("pred_boxes", 3)]);

    private static readonly ModelContract IdeaContract = new(
        [TensorSpec.Float("img", 4), TensorSpec.Int64("input_ids", 2), TensorSpec.Int64("position_ids", 2), TensorSpec.Int64("token_type_ids", 2)],
        [TensorSpec.Float("logits", 3), TensorSpec.Float("boxes", 3)]);

    private readonly OnnxModel _model;
    private readonly GroundingTokenizer _tokenizer;
    private readonly DinoPreprocessing _preprocessing;
    private readonly FloatBufferPool _inputBuffers = new();
    private readonly int _maxTextLength;
    private readonly (int Width, int Height)? _fixedImageSize;
    private readonly bool _singleImageBatches;

    private GroundingDinoDetector(OnnxModel model, GroundingDinoLayout layout, GroundingTokenizer tokenizer, DinoPreprocessing preprocessing, int maxTextLength)
    {
        _model = model;
        Layout = layout;
        _tokenizer = tokenizer;
        _preprocessing = preprocessing;
        _maxTextLength = maxTextLength;
        int[] dims = model.InputDimensions(layout == GroundingDinoLayout.HuggingFace ? "pixel_values" : "img");
        _fixedImageSize = dims[2] > 0 && dims[3] > 0 ? (dims[3], dims[2]) : null;
        _singleImageBatches = dims[0] == 1 || _fixedImageSize is not null;
    }

    /// <summary>The layout the model's inputs show.</summary>
    public GroundingDinoLayout Layout { get; }

    /// <summary>Wall time spent inside ONNX Runtime, summed over every call (profiling).</summary>
    public TimeSpan OnnxRunTime => _model.TotalRunTime;

    /// <summary>The text length the model handles (config max_text_len, else the logits' last dimension, else 256).</summary>
    public int MaxTextLength => _maxTextLength;

    internal GroundingTokenizer Tokenizer => _tokenizer;

    /// <summary>Opens the model folder (model.onnx or onnx/model.onnx, vocab.txt, configs).</summary>
    /// <exception cref="ModelContractException">The model lacks a tensor either layout needs.</exception>
    public static GroundingDinoDetector Create(string modelDirectory, DetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        options ??= DetectorOptions.Default;
        var folder = GroundingDinoFolder.Detect(modelDirectory, options.ModelFile);
        var model = OnnxModel.Open(folder.ModelPath, options.Runtime);
        try
        {
            var layout = model.HasInput("img") && !model.HasInput("pixel_values") ? GroundingDinoLayout.Idea : GroundingDinoLayout.HuggingFace;
            model.Verify(layout == GroundingDinoLayout.HuggingFace ? HuggingFaceContract : IdeaContract);
            if (layout == GroundingDinoLayout.Idea && !model.HasInput("text_token_mask"))
            {
                model.Verify(new ModelContract([TensorSpec.Int64("text_token_mask", 3)], []));
            }

            var tokenizer = GroundingTokenizer.Load(folder.VocabPath, folder.TokenizerConfigPath);
            var preprocessing = layout == GroundingDinoLayout.Idea ? DinoPreprocessing.Idea
                : folder.PreprocessorConfigPath is null ? DinoPreprocessing.HuggingFaceDefaults
                : DinoPreprocessing.FromHuggingFaceConfig(folder.PreprocessorConfigPath);
            return new GroundingDinoDetector(model, layout, tokenizer, preprocessing, ReadMaxTextLength(folder.ConfigPath, model));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var results = await DetectBatchAsync([image], request, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DetectionResult>> DetectBatchAsync(IReadOnlyList<RgbImage> images, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(request);
        var caption = Tokenize(request, out var warnings);
        return Task.Run<IReadOnlyList<DetectionResult>>(() =>
        {
            var results = new List<DetectionResult>(images.Count);
            int batch = _singleImageBatches ? 1 : Math.Max(1, images.Count);
            for (int start = 0; start < images.Count; start += batch)
            {
                var chunk = images.Skip(start).Take(batch).ToList();
                results.AddRange(RunBatch(chunk, caption, request, warnings, cancellationToken));
            }

            return results;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs the model once on one image and keeps its raw outputs (logits and boxes of every query), so that other
    /// box/text thresholds and NMS settings can be applied by <see cref="Postprocess(RawDetection, DetectOptions)"/>
    /// without running it again. The prompt and caption mode are fixed by the request.
    /// </summary>
    public Task<RawDetection> DetectRawAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        var caption = Tokenize(request, out var warnings);
        return Task.Run(() =>
        {
            var pixels = Preprocess(image);
            try
            {
                var (floats, longs) = BuildInputs([pixels], caption);
                string boxesName = Layout == GroundingDinoLayout.HuggingFace ? "pred_boxes" : "boxes";
                bool large = (long)image.Width * image.Height > OnnxModel.LargeImagePixels;
                return _model.Run(floats, longs, ["logits", boxesName], o => new RawDetection(
                    o.Floats("logits").ToArray(), o.Shape("logits"), o.Floats(boxesName).ToArray(), image.Width, image.Height, caption, warnings, request.Options.CaptionMode), large, cancellationToken);
            }
            finally
            {
                _inputBuffers.Return(pixels.Tensor);
            }
        }, cancellationToken);
    }

    /// <summary>The detections of a raw run under (possibly other) thresholds and NMS; the caption mode must be the run's.</summary>
    public DetectionResult Postprocess(RawDetection raw, DetectOptions options)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CaptionMode != raw.CaptionMode)
        {
            throw new InvalidRequestException("The caption mode changes the model's input: run the detector again.");
        }

        return Postprocess(raw.Logits, raw.LogitsShape, raw.Boxes, [(raw.Width, raw.Height)], raw.Caption, new DetectionRequest { Options = options }, [.. raw.Warnings])[0];
    }

    /// <summary>One image resized and normalised as the model's reference processor does.</summary>
    internal (float[] Tensor, int Width, int Height) Preprocess(RgbImage image) => _preprocessing.Process(image, _fixedImageSize, _inputBuffers);

    /// <summary>The caption's tokens for a request, with truncation warnings.</summary>
    internal TokenizedCaption Tokenize(DetectionRequest request, out List<string> warnings)
    {
        string prompt = request.Prompt ?? (request.Classes is { } classes ? Caption.FromClasses(classes) : string.Empty);
        string text = Caption.Build(prompt, request.Options.CaptionMode);
        var caption = _tokenizer.Encode(text, _maxTextLength);
        warnings = [];
        if (caption.DroppedClasses.Count > 0)
        {
            string warning = $"The prompt is longer than {_maxTextLength} tokens and was truncated; dropped: {string.Join(", ", caption.DroppedClasses)}.";
            warnings.Add(warning);
        }

        return caption;
    }

    /// <summary>Builds the model inputs for images already resized and normalised, padded to the largest.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long[]> _onesMasks = new();

    internal (Dictionary<string, TensorData<float>> Floats, Dictionary<string, TensorData<long>> Longs) BuildInputs(IReadOnlyList<(float[] Tensor, int Width, int Height)> pixels, TokenizedCaption caption)
    {
        int b = pixels.Count;
        int h = pixels.Max(p => p.Height), w = pixels.Max(p => p.Width);

        // One image needs no padding: its pre-processed tensor is the batch, and its pixel mask is all ones, kept per
        // size (ONNX Runtime never writes its inputs), so no fresh multi-megabyte array is touched per call.
        bool single = b == 1;
        var batch = single ? pixels[0].Tensor : new float[b * 3 * h * w];
        var pixelMask = single ? _onesMasks.GetOrAdd(h * w, n => { var ones = new long[n]; Array.Fill(ones, 1L); return ones; }) : new long[b * h * w];
        if (_onesMasks.Count > 8)
        {
            _onesMasks.Clear();
        }

        for (int i = 0; i < b && !single; i++)
        {
            var (tensor, pw, ph) = pixels[i];
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < ph; y++)
                {
                    Array.Copy(tensor, (c * ph + y) * pw, batch, ((i * 3 + c) * h + y) * w, pw);
                }
            }

            for (int y = 0; y < ph; y++)
            {
                Array.Fill(pixelMask, 1L, (i * h + y) * w, pw);
            }
        }

        int s = caption.Length;
        var ids = new long[b * s];
        for (int i = 0; i < b; i++)
        {
            for (int t = 0; t < s; t++)
            {
                ids[i * s + t] = caption.InputIds[t];
            }
        }

        var ones = new long[b * s];
        Array.Fill(ones, 1L);
        var longs = new Dictionary<string, TensorData<long>>
        {
            ["input_ids"] = new(ids, [b, s]),
            ["attention_mask"] = new(ones, [b, s]),
            ["token_type_ids"] = new(new long[b * s], [b, s]),
        };
        var floats = new Dictionary<string, TensorData<float>>();
        if (Layout == GroundingDinoLayout.HuggingFace)
        {
            floats["pixel_values"] = new(batch, [b, 3, h, w]);
            if (_model.HasInput("pixel_mask"))
            {
                longs["pixel_mask"] = new(pixelMask, [b, h, w]);
            }
        }
        else
        {
            floats["img"] = new(batch, [b, 3, h, w]);
            var (mask, positions) = TextMasks.Idea(caption.InputIds, _tokenizer.SpecialIds);
            var maskBatch = new long[b * s * s];
            var positionBatch = new long[b * s];
            for (int i = 0; i < b; i++)
            {
                for (int k = 0; k < s * s; k++)
                {
                    maskBatch[i * s * s + k] = mask[k] ? 1 : 0;
                }

                Array.Copy(positions, 0, positionBatch, i * s, s);
            }

            longs["position_ids"] = new(positionBatch, [b, s]);
            longs["text_token_mask"] = new(maskBatch, [b, s, s]);
        }

        return (floats, longs);
    }

    private List<DetectionResult> RunBatch(List<RgbImage> images, TokenizedCaption caption, DetectionRequest request, List<string> warnings, CancellationToken cancellationToken)
    {
        var pixels = new (float[] Tensor, int Width, int Height)[images.Count];
        try
        {
            Parallel.For(0, images.Count, i => pixels[i] = Preprocess(images[i]));
            var (floats, longs) = BuildInputs(pixels, caption);
            string boxesName = Layout == GroundingDinoLayout.HuggingFace ? "pred_boxes" : "boxes";
            var sizes = images.Select(i => (i.Width, i.Height)).ToList();
            // The outputs are post-processed where ONNX Runtime left them: no copy of the 900 × 256 logits per image.
            // The inputs are resized to at most 800x1333 whatever the image: the arena keeps its size, except around
            // a large image, whose later masks want the memory back.
            bool large = sizes.Any(z => (long)z.Width * z.Height > OnnxModel.LargeImagePixels);
            return _model.Run(floats, longs, ["logits", boxesName], o => Postprocess(o.Floats("logits"), o.Shape("logits"), o.Floats(boxesName), sizes, caption, request, warnings), large, cancellationToken);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // An image the pre-processing refuses (too elongated) is that image's error, not "one or more errors".
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            foreach (var (tensor, _, _) in pixels.Where(p => p.Tensor is not null))
            {
                _inputBuffers.Return(tensor);
            }
        }
    }

    /// <summary>Turns raw outputs (logits [B, Q, T], boxes [B, Q, 4]) into results for images of the given sizes.</summary>
    internal List<DetectionResult> Postprocess(ReadOnlySpan<float> logits, long[] logitsShape, ReadOnlySpan<float> boxes, IReadOnlyList<(int Width, int Height)> sizes, TokenizedCaption caption, DetectionRequest request, List<string> warnings)
    {
        int queries = (int)logitsShape[1], textLength = (int)logitsShape[2];
        float boxThreshold = request.Options.BoxThreshold;
        float textThreshold = request.Options.TextThreshold;
        var results = new List<DetectionResult>(sizes.Count);
        for (int i = 0; i < sizes.Count; i++)
        {
            var (width, height) = sizes[i];
            var detections = DetectionPostprocessor.Process(
                logits.Slice(i * queries * textLength, queries * textLength),
                boxes.Slice(i * queries * 4, queries * 4),
                queries, textLength, caption, boxThreshold, textThreshold, _maxTextLength, _tokenizer, width, height);
            var kept = BoxNms.Apply(detections, request.Options.Nms, request.Options.NmsIou);
            results.Add(new DetectionResult(width, height, kept, warnings));
        }

        return results;
    }

    private static int ReadMaxTextLength(string? configPath, OnnxModel model)
    {
        if (configPath is not null)
        {
            var config = ModelConfigFile.Read(configPath, ModelConfigJsonContext.Default.TextModelConfig);
            if (config.MaxTextLen is { ValueKind: JsonValueKind.Number } m && m.TryGetInt32(out int v) && v > 0)
            {
                return v;
            }
        }

        int[] dims = model.Outputs["logits"].Dimensions;
        return dims.Length == 3 && dims[2] > 0 ? dims[2] : 256;
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
