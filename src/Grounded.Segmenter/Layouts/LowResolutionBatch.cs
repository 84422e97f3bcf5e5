using Grounded.Onnx;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// One call of segment-anything's decoder read in place for its low-resolution outputs: iou_predictions [B, T] and
/// low_res_masks [B, T, H, W], a prompt's scores and a token's logits as slices of ONNX Runtime's buffers.
/// </summary>
internal readonly ref struct LowResolutionBatch
{
    private readonly ReadOnlySpan<float> _iou;
    private readonly ReadOnlySpan<float> _logits;

    public LowResolutionBatch(OnnxOutputs outputs)
    {
        _iou = outputs.Floats("iou_predictions");
        _logits = outputs.Floats("low_res_masks");
        long[] shape = outputs.Shape("low_res_masks");
        (Prompts, Tokens, GridH, GridW) = ((int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    public int Prompts { get; }

    public int Tokens { get; }

    public int GridW { get; }

    public int GridH { get; }

    /// <summary>One prompt's predicted IoUs, a token each.</summary>
    public ReadOnlySpan<float> Scores(int prompt) => _iou.Slice(prompt * Tokens, Tokens);

    /// <summary>All tokens' logits of one prompt, Tokens × GridH × GridW.</summary>
    public ReadOnlySpan<float> Logits(int prompt) => _logits.Slice(prompt * Tokens * GridH * GridW, Tokens * GridH * GridW);

    /// <summary>One token's logits of one prompt, GridH × GridW.</summary>
    public ReadOnlySpan<float> Logits(int prompt, int token) => _logits.Slice(((prompt * Tokens) + token) * GridH * GridW, GridH * GridW);
}
