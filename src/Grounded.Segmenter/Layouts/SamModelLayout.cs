namespace Grounded.Segmenter.Layouts;

/// <summary>The two SAM ONNX layouts people download.</summary>
public enum SamModelLayout
{
    /// <summary>
    /// Hugging Face / Transformers.js: vision_encoder.onnx (pixel_values → image_embeddings, image_positional_embeddings)
    /// and prompt_encoder_mask_decoder.onnx (input_points, input_labels → iou_scores, pred_masks at 256×256).
    /// </summary>
    HuggingFace,

    /// <summary>
    /// segment-anything's export (also MobileSAM, SAM-HQ, EfficientSAM via samexporter): an encoder (image or
    /// input_image) and a decoder (point_coords, point_labels, mask_input, has_mask_input, orig_im_size → masks,
    /// iou_predictions, low_res_masks).
    /// </summary>
    Official,
}
