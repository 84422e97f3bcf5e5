namespace Grounded.Segmenter.Layouts;

/// <summary>The model files found in a folder and the layout they form.</summary>
internal sealed record SamModelFolder(SamModelLayout Layout, string EncoderPath, string DecoderPath, string? PreprocessorConfigPath)
{
    public static SamModelFolder Detect(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new Onnx.ModelContractException(directory, "the segmenter model folder does not exist.");
        }

        // Transformers.js repositories keep the graphs under onnx/ and the configs at the top.
        foreach (string dir in new[] { directory, Path.Combine(directory, "onnx") })
        {
            string enc = Path.Combine(dir, "vision_encoder.onnx");
            string dec = Path.Combine(dir, "prompt_encoder_mask_decoder.onnx");
            if (File.Exists(enc) && File.Exists(dec))
            {
                string config = Path.Combine(directory, "preprocessor_config.json");
                return new SamModelFolder(SamModelLayout.HuggingFace, enc, dec, File.Exists(config) ? config : null);
            }
        }

        var onnx = Directory.GetFiles(directory, "*.onnx").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        string? encoder = onnx.FirstOrDefault(f => f.Contains("encoder", StringComparison.OrdinalIgnoreCase));
        var decoders = onnx.Where(f => f.Contains("decoder", StringComparison.OrdinalIgnoreCase)).ToList();
        // A folder with both single- and multi-mask decoders (Acly/MobileSAM): the multi one gives all answers.
        string? decoder = decoders.FirstOrDefault(f => f.Contains("multi", StringComparison.OrdinalIgnoreCase))
            ?? decoders.FirstOrDefault(f => !f.Contains("single", StringComparison.OrdinalIgnoreCase))
            ?? decoders.FirstOrDefault();
        if (encoder is null || decoder is null)
        {
            throw new Onnx.ModelContractException(
                directory,
                "no SAM model here: expected vision_encoder.onnx + prompt_encoder_mask_decoder.onnx (Hugging Face layout) " +
                "or an *encoder*.onnx + *decoder*.onnx pair (segment-anything layout).");
        }

        return new SamModelFolder(SamModelLayout.Official, Path.Combine(directory, encoder), Path.Combine(directory, decoder), null);
    }
}
