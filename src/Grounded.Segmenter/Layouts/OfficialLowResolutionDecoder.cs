using Grounded.Onnx;
using Grounded.Onnx.Graphs;
using Grounded.Tensors;
using Microsoft.Extensions.Logging;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// segment-anything's exported decoder for work that needs only its low-resolution logits (segment-everything's
/// grid, hover previews). ONNX Runtime computes the export's in-graph upscaling to the image even when its output is
/// not asked for, so the graph is specialised in memory: cut after <c>low_res_masks</c> and with the prompt axis
/// made symbolic, so a batch of prompts is one call. The rewrite is trusted only after it agreed with the original
/// graph on probe prompts, alone and as a batch; otherwise the unbatched rewrite, or the original graph fed a tiny
/// <c>orig_im_size</c>, serves instead.
/// </summary>
internal sealed class OfficialLowResolutionDecoder : IDisposable
{
    /// <summary>The outputs read: [B, T] predicted IoUs and [B, T, 256, 256] logits.</summary>
    public static readonly string[] Outputs = ["iou_predictions", "low_res_masks"];

    // Prompts per call when batching. Per prompt, batches of 4 to 64 cost about the same on a 2-core CPU (MobileSAM:
    // 24-26 ms against 29 ms alone), but each prompt adds some 30 MB of activations: 8 keeps a call near 250 MB
    // (with one call in flight, segment-everything with MobileSAM at 1080p peaks near 0.73 GB).
    private const int BatchSize = 8;
    private const float Tolerance = 1e-4f;

    private readonly OnnxModel _original;
    private readonly OnnxModel? _rewritten;
    private readonly SemaphoreSlim _oneBatchAtATime = new(1, 1);
    private readonly Lazy<IouFirstDecoder?> _iouFirst;

    private OfficialLowResolutionDecoder(OnnxModel original, OnnxModel? rewritten, bool batched, bool sharesImageTokens = false, Func<byte[]>? graph = null, RuntimeOptions? runtime = null)
    {
        _original = original;
        _rewritten = rewritten;
        MaxBatch = batched ? BatchSize : 1;
        SharesImageTokens = sharesImageTokens;
        // Cut only when segment-everything first asks (the graph is made again from the file rather than held).
        _iouFirst = new(() => graph is null || !batched ? null : MakeIouFirst(original, graph(), runtime ?? RuntimeOptions.Default), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether segment-everything's batches decode masks only for prompts above the IoU minimum (cut now if it was not yet): for benchmarks and tests.</summary>
    public bool DecodesIouFirst => _iouFirst.Value is not null;

    /// <summary>Whether a batch's prompts share the image side of the decoder (<see cref="SharedImageTensors"/>).</summary>
    public bool SharesImageTokens { get; }

    /// <summary>How many prompts (of the same point count) one call may take.</summary>
    public int MaxBatch { get; }

    /// <summary>Which graph serves: "rewritten, batched", "rewritten" or "original".</summary>
    public string Kind => _rewritten is null ? "original" : MaxBatch > 1 ? "rewritten, batched" : "rewritten";

    /// <summary>Time spent inside ONNX Runtime by the rewritten graph (the original's is counted by its owner).</summary>
    public TimeSpan OnnxRunTime => (_rewritten?.TotalRunTime ?? TimeSpan.Zero) + (_iouFirst.IsValueCreated && _iouFirst.Value is { } split ? split.OnnxRunTime : TimeSpan.Zero);

    /// <summary>Specialises <paramref name="original"/> (which stays its owner's) and checks the rewrite.</summary>
    public static OfficialLowResolutionDecoder Create(OnnxModel original, RuntimeOptions runtime)
    {
        OnnxModel? rewritten = null;
        try
        {
            byte[] file = File.ReadAllBytes(original.Path);
            var probe = Probe.Create(original);
            if (WithSharedImageTokens(original, file, probe, runtime) is { } shared)
            {
                return shared;
            }

            var bytes = OnnxGraphRewriter.Specialise(file, Outputs, SymbolicAxes);
            rewritten = OnnxModel.Open(bytes, original.Path, runtime);
            // A batch that agrees prompt for prompt settles both questions; only a graph that refuses it is tried alone.
            bool batched = probe.AgreesInBatch(original, rewritten);
            if (!batched && !probe.Agrees(original, rewritten, batch: 1))
            {
                throw new FormatException("the rewritten graph's logits differ from the original's");
            }

            if (!batched)
            {
                Log(runtime, original.Path, "decoding one prompt a call: its prompt axis is fixed inside the graph");
            }

            return new OfficialLowResolutionDecoder(original, rewritten, batched, graph: () => OnnxGraphRewriter.Specialise(File.ReadAllBytes(original.Path), Outputs, SymbolicAxes), runtime: runtime);
        }
        catch (Exception ex) when (ex is FormatException or GroundedException or IOException or UnauthorizedAccessException)
        {
            rewritten?.Dispose();
            Log(runtime, original.Path, $"not specialised for low-resolution decoding: {ex.Message}");
            return new OfficialLowResolutionDecoder(original, null, batched: false);
        }
    }

    private static readonly Dictionary<string, int[]> SymbolicAxes = new(StringComparer.Ordinal)
    {
        ["point_coords"] = [0],
        ["point_labels"] = [0],
    };

    /// <summary>The batched graph whose prompts share the image side, when the decoder has that shape and it agrees; else null.</summary>
    private static OfficialLowResolutionDecoder? WithSharedImageTokens(OnnxModel original, byte[] file, Probe probe, RuntimeOptions runtime)
    {
        var rewires = SharedImageTensors.Rewires(OnnxGraphRewriter.Nodes(file));
        if (rewires.Count == 0)
        {
            return null;
        }

        OnnxModel? candidate = null;
        try
        {
            candidate = OnnxModel.Open(OnnxGraphRewriter.Specialise(file, Outputs, SymbolicAxes, rewires), original.Path, runtime);
            if (probe.AgreesInBatch(original, candidate))
            {
                return new OfficialLowResolutionDecoder(original, candidate, batched: true, sharesImageTokens: true, () => OnnxGraphRewriter.Specialise(File.ReadAllBytes(original.Path), Outputs, SymbolicAxes, rewires), runtime);
            }

            Log(runtime, original.Path, "a batch's prompts do not share the image tokens: the rewired graph disagrees with the original");
        }
        catch (Exception ex) when (ex is FormatException or GroundedException)
        {
            Log(runtime, original.Path, $"a batch's prompts do not share the image tokens: {ex.Message}");
        }

        candidate?.Dispose();
        return null;
    }

    /// <summary>
    /// Decodes a batch of at most <see cref="MaxBatch"/> prompts. <paramref name="inputs"/> are the original decoder's
    /// feeds (point_coords [B, N, 2], point_labels [B, N]); those the serving graph does not take are left out.
    /// </summary>
    public T Run<T>(Dictionary<string, TensorData<float>> inputs, Func<OnnxOutputs, T> read, CancellationToken cancellationToken)
    {
        if (_rewritten is null)
        {
            return RunOriginal(_original, inputs, read, cancellationToken);
        }

        var feeds = _rewritten.DeclaredOf(inputs);
        if (MaxBatch == 1)
        {
            return _rewritten.Run(feeds, null, Outputs, read, false, cancellationToken);
        }

        // A batch already keeps every intra-op thread busy: a second batch in flight only contends for the cores
        // (and doubles the activations), while the callers' upscaling and filtering overlap the one call.
        _oneBatchAtATime.Wait(cancellationToken);
        try
        {
            return _rewritten.Run(feeds, null, Outputs, read, false, cancellationToken);
        }
        finally
        {
            _oneBatchAtATime.Release();
        }
    }

    /// <summary>
    /// Segment-everything's batch through the cut graph: the multimask candidates above <paramref name="minimumIou"/>
    /// with their logits; null when the graph is not cut (the caller decodes the batch whole).
    /// </summary>
    public (List<PointCandidate> Kept, int GridW, int GridH)? RunIouFirst(Dictionary<string, TensorData<float>> inputs, int prompts, int firstPoint, float minimumIou, CancellationToken cancellationToken)
    {
        if (_iouFirst.Value is not { } split)
        {
            return null;
        }

        _oneBatchAtATime.Wait(cancellationToken);
        try
        {
            return split.Run(inputs, prompts, firstPoint, minimumIou, cancellationToken);
        }
        finally
        {
            _oneBatchAtATime.Release();
        }
    }

    private static IouFirstDecoder? MakeIouFirst(OnnxModel original, byte[] graph, RuntimeOptions runtime)
    {
        try
        {
            var split = IouFirstDecoder.Create(graph, original.Path, runtime);
            if (split is null)
            {
                Log(runtime, original.Path, "masks are decoded for every prompt: the graph could not be cut after its IoU head");
                return null;
            }

            if (!Probe.Create(original).AgreesCut(original, split))
            {
                split.Dispose();
                Log(runtime, original.Path, "masks are decoded for every prompt: the cut graph disagrees with the original");
                return null;
            }

            return split;
        }
        catch (Exception ex) when (ex is FormatException or GroundedException or IOException or UnauthorizedAccessException)
        {
            Log(runtime, original.Path, $"masks are decoded for every prompt: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// The original graph's low-resolution outputs for one prompt. It upscales to orig_im_size in-graph whether or not
    /// that output is fetched: a 16-pixel image makes the upscale nearly free and leaves the low-resolution logits as
    /// they were.
    /// </summary>
    public static T RunOriginal<T>(OnnxModel original, Dictionary<string, TensorData<float>> inputs, Func<OnnxOutputs, T> read, CancellationToken cancellationToken)
    {
        var size = inputs["orig_im_size"].Data;
        float longest = Math.Max(size[0], size[1]);
        inputs["orig_im_size"] = new([Math.Max(1, MathF.Floor(size[0] * 16 / longest)), Math.Max(1, MathF.Floor(size[1] * 16 / longest))], [2]);
        return original.Run(inputs, null, Outputs, read, false, cancellationToken);
    }

    public void Dispose()
    {
        if (_iouFirst.IsValueCreated)
        {
            _iouFirst.Value?.Dispose();
        }

        _rewritten?.Dispose();
        _oneBatchAtATime.Dispose();
    }

    private static void Log(RuntimeOptions runtime, string path, string reason) =>
        runtime.Logger?.LogDebug("Decoder '{Path}': {Reason}", path, reason);

    /// <summary>Seeded embedding and single-point prompts, decoded by both graphs and compared value by value.</summary>
    private sealed class Probe
    {
        public const int Prompts = 3;

        private readonly Dictionary<string, TensorData<float>> _shared;
        private readonly float[][] _coords;

        private Probe(Dictionary<string, TensorData<float>> shared, float[][] coords)
        {
            _shared = shared;
            _coords = coords;
        }

        public static Probe Create(OnnxModel original)
        {
            int[] dims = original.InputDimensions("image_embeddings");
            int[] embeddingShape = [.. dims.Select((d, i) => d > 0 ? d : i switch { 0 => 1, 1 => 256, _ => 64 })];
            int[] maskDims = original.InputDimensions("mask_input");
            int maskSize = maskDims[^1] > 0 ? maskDims[^1] : 256;
            var random = new Random(20261202);
            var embedding = new float[embeddingShape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < embedding.Length; i++)
            {
                embedding[i] = (float)((random.NextDouble() * 2) - 1);
            }

            var shared = new Dictionary<string, TensorData<float>>
            {
                ["image_embeddings"] = new(embedding, [.. embeddingShape.Select(d => (long)d)]),
                ["mask_input"] = new(new float[maskSize * maskSize], [1, 1, maskSize, maskSize]),
                ["has_mask_input"] = new([0f], [1]),
                ["orig_im_size"] = new([48f, 64f], [2]),
            };
            float[][] coords = [[100f, 200f, 0f, 0f], [700f, 300f, 0f, 0f], [500f, 650f, 0f, 0f]];
            return new Probe(shared, coords);
        }

        /// <summary>A batch of all probe prompts in one call; a graph that refuses the batch does not agree.</summary>
        public bool AgreesInBatch(OnnxModel original, OnnxModel rewritten)
        {
            try
            {
                return Agrees(original, rewritten, Prompts);
            }
            catch (GroundedException)
            {
                return false;
            }
        }

        public bool Agrees(OnnxModel original, OnnxModel rewritten, int batch)
        {
            var expected = Enumerable.Range(0, batch).Select(p => Decode(original, p, 1)).ToList();
            var (iou, logits) = Decode(rewritten, 0, batch);
            int iouSize = expected[0].Iou.Length, logitSize = expected[0].Logits.Length;
            if (iou.Length != batch * iouSize || logits.Length != batch * logitSize)
            {
                return false;
            }

            for (int p = 0; p < batch; p++)
            {
                if (!Close(expected[p].Iou, iou.AsSpan(p * iouSize, iouSize)) || !Close(expected[p].Logits, logits.AsSpan(p * logitSize, logitSize)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The cut graph gives the original's logits for a whole batch and for a subset of it.</summary>
        public bool AgreesCut(OnnxModel original, IouFirstDecoder cut)
        {
            var expected = Enumerable.Range(0, Prompts).Select(p => Decode(original, p, 1).Logits).ToList();
            foreach (int[] chosen in new[] { new[] { 0, 1, 2 }, [0, 2] })
            {
                float[] logits = cut.Logits(Feeds(0, Prompts), Prompts, _ => chosen);
                int size = expected[0].Length;
                if (logits.Length != chosen.Length * size)
                {
                    return false;
                }

                for (int c = 0; c < chosen.Length; c++)
                {
                    if (!Close(expected[chosen[c]], logits.AsSpan(c * size, size)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private (float[] Iou, float[] Logits) Decode(OnnxModel model, int first, int count)
        {
            var outputs = model.Run(model.DeclaredOf(Feeds(first, count)), null, Outputs, shrinkArena: false);
            return (outputs["iou_predictions"].Data, outputs["low_res_masks"].Data);
        }

        private Dictionary<string, TensorData<float>> Feeds(int first, int count)
        {
            var coords = new float[count * 4];
            var labels = new float[count * 2];
            for (int p = 0; p < count; p++)
            {
                _coords[first + p].CopyTo(coords, p * 4);
                labels[p * 2] = 1;
                labels[(p * 2) + 1] = -1;
            }

            return new Dictionary<string, TensorData<float>>(_shared, StringComparer.Ordinal)
            {
                ["point_coords"] = new(coords, [count, 2, 2]),
                ["point_labels"] = new(labels, [count, 2]),
            };
        }

        private static bool Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                float e = expected[i], a = actual[i];
                if (!(Math.Abs(e - a) <= Tolerance * (1 + Math.Abs(e))))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
