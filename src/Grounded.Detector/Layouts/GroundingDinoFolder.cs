namespace Grounded.Detector.Layouts;

/// <summary>The files of a Grounding DINO model folder.</summary>
internal sealed record GroundingDinoFolder(string ModelPath, string VocabPath, string? TokenizerConfigPath, string? PreprocessorConfigPath, string? ConfigPath)
{
    public static GroundingDinoFolder Detect(string directory, string? modelFile)
    {
        if (!Directory.Exists(directory))
        {
            throw new Onnx.ModelContractException(directory, "the detector model folder does not exist.");
        }

        string? model = FindModel(directory, modelFile);
        if (model is null)
        {
            throw new Onnx.ModelContractException(directory, modelFile is null
                ? "no Grounding DINO model here: expected model.onnx (or onnx/model.onnx, or one *.onnx file)."
                : $"no '{modelFile}' here or in its onnx/ folder.");
        }

        string vocab = Path.Combine(directory, "vocab.txt");
        if (!File.Exists(vocab))
        {
            throw new Onnx.ModelContractException(directory, "no vocab.txt here (the BERT WordPiece vocabulary of bert-base-uncased).");
        }

        return new GroundingDinoFolder(model, vocab, Existing(directory, "tokenizer_config.json"), Existing(directory, "preprocessor_config.json"), Existing(directory, "config.json"));
    }

    private static string? FindModel(string directory, string? modelFile)
    {
        foreach (string dir in new[] { directory, Path.Combine(directory, "onnx") })
        {
            string candidate = Path.Combine(dir, modelFile ?? "model.onnx");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (modelFile is not null)
        {
            return null;
        }

        var all = Directory.GetFiles(directory, "*.onnx");
        return all.Length == 1 ? all[0] : null;
    }

    private static string? Existing(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        return File.Exists(path) ? path : null;
    }
}
