using Grounded.Onnx.Configs;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Grounded.Inpaint.StableDiffusion;

/// <summary>
/// CLIP's BPE tokenizer (the one Stable Diffusion's text encoder reads), through Microsoft.ML.Tokenizers' byte-level
/// BPE with CLIP's normalisation (whitespace collapsed, lower-cased), its pre-tokenisation pattern and the "&lt;/w&gt;"
/// end-of-word suffix. Start, end and pad tokens and the length come from the tokenizer folder's configs.
/// </summary>
public sealed partial class ClipTokenizer
{
    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int startId, int endId, int padId, int maxLength)
    {
        _bpe = bpe;
        StartId = startId;
        EndId = endId;
        PadId = padId;
        MaxLength = maxLength;
    }

    /// <summary>&lt;|startoftext|&gt;.</summary>
    public int StartId { get; }

    /// <summary>&lt;|endoftext|&gt;.</summary>
    public int EndId { get; }

    /// <summary>The padding id: &lt;|endoftext|&gt; for SD 1.x, "!" (0) for SD 2.x, as the tokenizer config says.</summary>
    public int PadId { get; }

    /// <summary>Sequence length with start and end tokens (77).</summary>
    public int MaxLength { get; }

    /// <summary>Loads vocab.json and merges.txt, and reads tokenizer_config.json / special_tokens_map.json when present.</summary>
    public static ClipTokenizer Load(string folder)
    {
        string vocab = Path.Combine(folder, "vocab.json"), merges = Path.Combine(folder, "merges.txt");
        if (!File.Exists(vocab) || !File.Exists(merges))
        {
            throw new Onnx.ModelContractException(folder, "a CLIP tokenizer needs vocab.json and merges.txt here.");
        }

        using var vocabStream = File.OpenRead(vocab);
        var ids = JsonSerializer.Deserialize<Dictionary<string, int>>(vocabStream) ?? [];
        string padToken = "<|endoftext|>";
        int maxLength = 77;
        foreach (string config in new[] { "special_tokens_map.json", "tokenizer_config.json" })
        {
            string path = Path.Combine(folder, config);
            if (!File.Exists(path))
            {
                continue;
            }

            var tokenizerConfig = ModelConfigFile.Read(path, ModelConfigJsonContext.Default.TokenizerConfig);
            if (tokenizerConfig.PadToken is { } pad)
            {
                padToken = pad.ValueKind == JsonValueKind.String ? pad.GetString()! : pad.ValueKind == JsonValueKind.Object && pad.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : padToken;
            }

            // transformers writes a huge sentinel when the length is unknown; keep CLIP's 77 then.
            if (tokenizerConfig.ModelMaxLength is { ValueKind: JsonValueKind.Number } max && max.TryGetInt32(out int m) && m is > 2 and < 100_000)
            {
                maxLength = m;
            }
        }

        var special = new Dictionary<string, int> { ["<|startoftext|>"] = ids["<|startoftext|>"], ["<|endoftext|>"] = ids["<|endoftext|>"] };
        var bpe = BpeTokenizer.Create(new BpeOptions(ids)
        {
            Merges = File.ReadLines(merges).Where(l => !l.StartsWith("#version", StringComparison.Ordinal) && l.Length > 0),
            EndOfWordSuffix = "</w>",
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = new ClipPreTokenizer(),
            Normalizer = new ClipNormalizer(),
        });
        return new ClipTokenizer(bpe, special["<|startoftext|>"], special["<|endoftext|>"], ids.TryGetValue(padToken, out int padId) ? padId : special["<|endoftext|>"], maxLength);
    }

    /// <summary>BPE ids of the text, without start/end tokens.</summary>
    public IReadOnlyList<int> Encode(string text) => _bpe.EncodeToIds(text ?? string.Empty);

    /// <summary>[start, first MaxLength − 2 tokens, end, pad …]: exactly MaxLength ids, as the SD pipelines feed them.</summary>
    public int[] EncodeForModel(string text)
    {
        var ids = Encode(text);
        var result = new int[MaxLength];
        Array.Fill(result, PadId);
        result[0] = StartId;
        int n = Math.Min(ids.Count, MaxLength - 2);
        for (int i = 0; i < n; i++)
        {
            result[i + 1] = ids[i];
        }

        result[n + 1] = EndId;
        return result;
    }

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClipPattern();

    /// <summary>CLIP's whitespace_clean and lower().</summary>
    private sealed partial class ClipNormalizer : Normalizer
    {
        public override string Normalize(string original) => Spaces().Replace(original ?? string.Empty, " ").Trim().ToLowerInvariant();

        public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

        [GeneratedRegex(@"\s+")]
        private static partial Regex Spaces();
    }

    /// <summary>CLIP's token pattern: special tokens, contractions, letter runs, single digits, other symbol runs.</summary>
    private sealed class ClipPreTokenizer : PreTokenizer
    {
        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
            [.. ClipPattern().Matches(text ?? string.Empty).Select(m => (m.Index, m.Length))];

        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => PreTokenize(text.ToString());
    }
}
