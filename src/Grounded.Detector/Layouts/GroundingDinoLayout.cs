namespace Grounded.Detector.Layouts;

/// <summary>The two Grounding DINO ONNX layouts people download.</summary>
public enum GroundingDinoLayout
{
    /// <summary>
    /// Hugging Face / Transformers.js (onnx-community/grounding-dino-tiny-ONNX): pixel_values, input_ids, token_type_ids,
    /// attention_mask[, pixel_mask] → logits, pred_boxes; the text mask is computed inside the graph.
    /// </summary>
    HuggingFace,

    /// <summary>
    /// The IDEA-style export (GroundingDINO forks, X-AnyLabeling): img, input_ids, attention_mask, position_ids,
    /// token_type_ids, text_token_mask → logits, boxes; the caller computes the text mask.
    /// </summary>
    Idea,
}
