using Grounded.Onnx;
using Grounded.Onnx.Graphs;
using Grounded.Tensors;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// The low-resolution decoder cut in two for segment-everything: the predicted IoUs come from the transformer alone,
/// and a candidate that fails the IoU filter is dropped whatever its mask, so the mask branch (the upscaling
/// ConvTransposes and the hypernetwork, about a quarter of a call) runs only for the prompts with a candidate above
/// the minimum. The parts are trusted only after they gave the original's logits on probe prompts, all of a batch
/// and a subset.
/// </summary>
internal sealed class IouFirstDecoder : IDisposable
{
    private const string Iou = "iou_predictions", Masks = "low_res_masks";

    private readonly OnnxModel _first;
    private readonly OnnxModel _second;
    private readonly string[] _points;
    private readonly string[] _firstOutputs;

    private IouFirstDecoder(OnnxModel first, OnnxModel second, string[] points)
    {
        _first = first;
        _second = second;
        _points = points;
        _firstOutputs = [Iou, .. points];
    }

    public TimeSpan OnnxRunTime => _first.TotalRunTime + _second.TotalRunTime;

    /// <summary>Cuts <paramref name="lowResolution"/> (a decoder graph with outputs iou_predictions and low_res_masks); null where it cannot be cut.</summary>
    public static IouFirstDecoder? Create(byte[] lowResolution, string path, RuntimeOptions runtime)
    {
        OnnxModel? first = null, second = null;
        try
        {
            string[] points = [.. OnnxGraphRewriter.SplitPoints(lowResolution, Iou, Masks)];
            first = OnnxModel.Open(OnnxGraphRewriter.FirstPart(lowResolution, Iou, Masks), path, runtime);
            if (points.Any(p => !first.Outputs.ContainsKey(p)))
            {
                // The second part would read one of the decoder's own inputs: not the shape this is made for.
                first.Dispose();
                return null;
            }

            var types = points.ToDictionary(p => p, p => ((int)first.Outputs[p].ElementDataType, first.Outputs[p].Dimensions.Length), StringComparer.Ordinal);
            second = OnnxModel.Open(OnnxGraphRewriter.SecondPart(lowResolution, Iou, Masks, types), path, runtime);
            return new IouFirstDecoder(first, second, points);
        }
        catch (Exception ex) when (ex is FormatException or GroundedException)
        {
            second?.Dispose();
            first?.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Decodes a batch of <paramref name="prompts"/> single-point prompts (the feeds of the low-resolution graph) and
    /// returns the multimask candidates above <paramref name="minimumIou"/>, their logits copied out.
    /// </summary>
    public (List<PointCandidate> Kept, int GridW, int GridH) Run(Dictionary<string, TensorData<float>> inputs, int prompts, int firstPoint, float minimumIou, CancellationToken cancellationToken)
    {
        float[] scores = [];
        int tokens = 0;
        var part = Decode(inputs, prompts, iou =>
        {
            (scores, tokens) = (iou.Scores, iou.Tokens);
            return [.. Enumerable.Range(0, prompts).Where(p => PointCandidates.AnyReported(scores.AsSpan(p * tokens, tokens), minimumIou))];
        }, cancellationToken);
        if (part is not { } masks)
        {
            return ([], 0, 0);
        }

        return _second.Run(masks.Floats, masks.Longs, [Masks], o =>
        {
            var logits = o.Floats(Masks);
            long[] shape = o.Shape(Masks);
            int gridH = (int)shape[2], gridW = (int)shape[3], block = tokens * gridH * gridW;
            var kept = new List<PointCandidate>();
            for (int s = 0; s < masks.Prompts.Length; s++)
            {
                int p = masks.Prompts[s];
                PointCandidates.AddReported(kept, firstPoint + p, scores.AsSpan(p * tokens, tokens), logits.Slice(s * block, block), minimumIou);
            }

            return (kept, gridW, gridH);
        }, false, cancellationToken);
    }

    /// <summary>The logits [prompts chosen, tokens, H, W] of the prompts <paramref name="choose"/> picks: for the probe and tests.</summary>
    internal float[] Logits(Dictionary<string, TensorData<float>> inputs, int prompts, Func<int, int[]> choose)
    {
        var part = Decode(inputs, prompts, _ => choose(prompts), CancellationToken.None);
        return part is { } masks ? _second.Run(masks.Floats, masks.Longs, [Masks], o => o.Floats(Masks).ToArray(), false, CancellationToken.None) : [];
    }

    private readonly record struct IouRows(float[] Scores, int Tokens);

    private sealed record SecondFeeds(int[] Prompts, Dictionary<string, TensorData<float>> Floats, Dictionary<string, TensorData<long>> Longs);

    /// <summary>Runs the first part and gathers the chosen prompts' rows of what the second part reads (null when none is chosen).</summary>
    private SecondFeeds? Decode(Dictionary<string, TensorData<float>> inputs, int prompts, Func<IouRows, int[]> choose, CancellationToken cancellationToken) =>
        _first.Run(_first.DeclaredOf(inputs), null, _firstOutputs, o =>
        {
            long[] iouShape = o.Shape(Iou);
            int[] chosen = choose(new IouRows(o.Floats(Iou).ToArray(), (int)iouShape[1]));
            if (chosen.Length == 0)
            {
                return null;
            }

            var floats = new Dictionary<string, TensorData<float>>(StringComparer.Ordinal);
            var longs = new Dictionary<string, TensorData<long>>(StringComparer.Ordinal);
            foreach (string point in _points)
            {
                long[] shape = o.Shape(point);
                var values = o.Floats(point);
                if (_first.Outputs[point].ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64)
                {
                    // A shape the second part reshapes by: its batch axis becomes the chosen prompts'.
                    long[] dims = [.. values.ToArray().Select(v => (long)v)];
                    if (shape is [_] && dims.Length > 0 && dims[0] == prompts)
                    {
                        dims[0] = chosen.Length;
                    }

                    longs[point] = new(dims, shape);
                }
                else if (shape.Length > 0 && shape[0] == prompts && chosen.Length < prompts)
                {
                    int row = (int)(values.Length / prompts);
                    var rows = new float[chosen.Length * row];
                    for (int c = 0; c < chosen.Length; c++)
                    {
                        values.Slice(chosen[c] * row, row).CopyTo(rows.AsSpan(c * row, row));
                    }

                    floats[point] = new(rows, [chosen.Length, .. shape[1..]]);
                }
                else
                {
                    floats[point] = new(values.ToArray(), shape);
                }
            }

            return new SecondFeeds(chosen, floats, longs);
        }, false, cancellationToken);

    public void Dispose()
    {
        _second.Dispose();
        _first.Dispose();
    }
}
