using System.Numerics.Tensors;
using Grounded.Results;
using Grounded.Detector.Text;
using Grounded.Geometry;

namespace Grounded.Detector.Processing;

/// <summary>
/// transformers' post_process_grounded_object_detection (and Grounded-SAM's get_grounding_output): sigmoid, box
/// score = max over text tokens, keep scores strictly above the box threshold, phrase from the tokens strictly above
/// the text threshold, boxes from normalised (cx, cy, w, h) to original-image pixels. Adds the class label.
/// </summary>
internal static class DetectionPostprocessor
{
    // logits: [queries, textLength] pre-sigmoid, -inf past the caption; boxes: [queries, 4] normalised cx, cy, w, h.
    public static List<GroundedObject> Process(ReadOnlySpan<float> logits, ReadOnlySpan<float> boxes, int queries, int textLength, TokenizedCaption caption, float boxThreshold, float textThreshold, int maxTextLength, GroundingTokenizer tokenizer, int width, int height)
    {
        var detections = new List<GroundedObject>();
        var probs = new float[textLength];
        for (int q = 0; q < queries; q++)
        {
            TensorPrimitives.Sigmoid(logits.Slice(q * textLength, textLength), probs);
            float score = Math.Max(0f, TensorPrimitives.Max(probs));

            if (!(score > boxThreshold))
            {
                continue;
            }

            string phrase = PhraseDecoder.Decode(probs, caption.InputIds, textThreshold, maxTextLength, tokenizer);
            var b = boxes.Slice(q * 4, 4);
            var box = BoxXyxy.FromNormalizedCxCyWh(b[0], b[1], b[2], b[3], width, height);
            detections.Add(new GroundedObject(ClassOf(probs, caption, phrase), phrase, score, box) { QueryIndex = q });
        }

        return detections;
    }

    /// <summary>The class whose token span holds the highest probability.</summary>
    internal static string ClassOf(ReadOnlySpan<float> probs, TokenizedCaption caption, string fallback)
    {
        int best = -1;
        float bestProb = float.NegativeInfinity;
        for (int c = 0; c < caption.ClassSpans.Count; c++)
        {
            var (start, end) = caption.ClassSpans[c];
            for (int t = start; t < end && t < probs.Length; t++)
            {
                if (probs[t] > bestProb)
                {
                    bestProb = probs[t];
                    best = c;
                }
            }
        }

        return best < 0 ? fallback : caption.Classes[best];
    }
}
