using Grounded.Tensors;
using Grounded.Masks;
using Grounded.Onnx;

namespace Grounded.Segmenter.Layouts;

/// <summary>Chooses which of a decoder's mask tokens answer a request, the same way for both layouts.</summary>
internal static class SamOutputs
{
    /// <summary>
    /// iou: [1, P, M]. With M = 4 (all mask tokens, as segment-anything's export without return_single_mask) token 0
    /// is the single-mask answer and 1..3 the multimask answers, as SamPredictor uses them. With M = 3 (an export that
    /// bakes multimask_output) the single answer is the candidate with the highest predicted IoU. With M = 1 that one
    /// mask is the only answer.
    /// </summary>
    public static IReadOnlyList<SegmentedObject> Select(TensorData<float> iou, bool multimask, Func<int, int, (BinaryMask Mask, float[] LowRes)> maskAt)
    {
        int prompts = (int)iou.Shape[1];
        int m = (int)iou.Shape[2];
        var objects = new SegmentedObject[prompts];
        Parallel.For(0, prompts, p => objects[p] = Answer(iou.Data.AsSpan(p * m, m), multimask, token => maskAt(p, token)));
        return objects;
    }

    /// <summary>One prompt's answer from its predicted IoUs (one per token): the answering tokens' masks, the best marked.</summary>
    public static SegmentedObject Answer(ReadOnlySpan<float> scores, bool multimask, Func<int, (BinaryMask Mask, float[] LowRes)> maskAt)
    {
        int[] tokens = Tokens(scores, scores.Length, multimask);
        var candidates = new MaskCandidate[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            var (mask, lowRes) = maskAt(tokens[i]);
            candidates[i] = new MaskCandidate(mask, scores[tokens[i]], lowRes);
        }

        int best = 0;
        for (int i = 1; i < candidates.Length; i++)
        {
            if (candidates[i].PredictedIou > candidates[best].PredictedIou)
            {
                best = i;
            }
        }

        return new SegmentedObject(candidates, best);
    }

    /// <summary>The mask tokens that answer one prompt, given its predicted IoUs: only these need their masks made.</summary>
    public static int[] Tokens(ReadOnlySpan<float> scores, int m, bool multimask)
    {
        if (m == 4)
        {
            return multimask ? [1, 2, 3] : [0];
        }

        if (m == 1 || multimask)
        {
            return [.. Enumerable.Range(0, m)];
        }

        int best = 0;
        for (int i = 1; i < m; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return [best];
    }
}
