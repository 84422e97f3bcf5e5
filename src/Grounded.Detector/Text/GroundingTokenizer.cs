using Grounded.Onnx.Configs;
using Microsoft.ML.Tokenizers;

namespace Grounded.Detector.Text;

/// <summary>
/// BERT WordPiece for Grounding DINO, configured from the model folder's vocab.txt and tokenizer_config.json
/// (lower-casing, accent stripping and CJK splitting as BertTokenizer's basic tokenizer does them).
/// </summary>
public sealed class GroundingTokenizer
{
    /// <summary>[CLS], [SEP], '.', '?': the tokens Grounding DINO treats as separators.</summary>
    private readonly int[] _specialIds;
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _idToToken;

    private readonly bool _cleanUpSpaces;

    private GroundingTokenizer(BertTokenizer tokenizer, string[] idToToken, IReadOnlyDictionary<string, int> vocab, bool cleanUpSpaces)
    {
        _tokenizer = tokenizer;
        _cleanUpSpaces = cleanUpSpaces;
        _idToToken = idToToken;
        ClsId = vocab["[CLS]"];
        SepId = vocab["[SEP]"];
        PeriodId = vocab["."];
        _specialIds = [ClsId, SepId, PeriodId, vocab["?"]];
    }

    /// <summary>Id of [CLS].</summary>
    public int ClsId { get; }

    /// <summary>Id of [SEP].</summary>
    public int SepId { get; }

    /// <summary>Id of '.'.</summary>
    public int PeriodId { get; }

    /// <summary>The ids after which phrases restart (text-mask separators).</summary>
    public IReadOnlyList<int> SpecialIds => _specialIds;

    /// <summary>Loads vocab.txt and, when present, tokenizer_config.json.</summary>
    public static GroundingTokenizer Load(string vocabPath, string? tokenizerConfigPath = null)
    {
        if (!File.Exists(vocabPath))
        {
            throw new Onnx.ModelContractException(vocabPath, "the tokenizer vocabulary does not exist.");
        }

        bool lowerCase = true, cjk = true, cleanUpSpaces = false;
        bool? stripAccents = null;
        if (tokenizerConfigPath is not null && File.Exists(tokenizerConfigPath))
        {
            var config = ModelConfigFile.Read(tokenizerConfigPath, ModelConfigJsonContext.Default.TokenizerConfig);
            lowerCase = config.DoLowerCase ?? lowerCase;
            stripAccents = config.StripAccents;
            cjk = config.TokenizeChineseChars ?? cjk;

            // transformers applies its clean_up_tokenization to the decoded string only when the config asks.
            cleanUpSpaces = config.CleanUpTokenizationSpaces ?? cleanUpSpaces;
        }

        var tokens = File.ReadAllLines(vocabPath);
        var vocab = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            vocab.TryAdd(tokens[i], i);
        }

        // Hugging Face's BertNormalizer and BertPreTokenizer, plugged into ML.Tokenizers' WordPiece: its built-in basic
        // tokenisation drops symbols such as '<' and '|' and emoji instead of splitting them off or mapping them to
        // [UNK]. Accents are stripped when strip_accents is true, or unset with lower-casing.
        var options = new BertOptions
        {
            ApplyBasicTokenization = false,
            LowerCaseBeforeTokenization = false,
            Normalizer = new BertBasicNormalizer(lowerCase, stripAccents ?? lowerCase, cjk),
            PreTokenizer = new BertPunctuationPreTokenizer(),
        };
        return new GroundingTokenizer(BertTokenizer.Create(vocabPath, options), tokens, vocab, cleanUpSpaces);
    }

    /// <summary>
    /// Tokenises a caption with [CLS]/[SEP], truncated to <paramref name="maxTokens"/> (the model's max_text_len),
    /// and finds each class's token span.
    /// </summary>
    public TokenizedCaption Encode(string caption, int maxTokens = 256)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var ids = _tokenizer.EncodeToIds(caption, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true).ToArray();
        var classes = Caption.Classes(caption);
        var spans = ClassSpans(ids, classes.Count);
        var dropped = new List<string>();
        if (ids.Length > maxTokens)
        {
            ids = [.. ids[..(maxTokens - 1)], SepId];
            for (int c = 0; c < spans.Count; c++)
            {
                if (spans[c].End > maxTokens - 1)
                {
                    dropped.Add(classes[c]);
                }
            }
        }

        int kept = classes.Count - dropped.Count;
        return new TokenizedCaption(ids, [.. spans.Take(kept)], [.. classes.Take(kept)], dropped);
    }

    /// <summary>
    /// Decodes ids as transformers' BERT decode does: the WordPiece decoder's joining and per-token clean-up, then,
    /// when tokenizer_config.json sets clean_up_tokenization_spaces, transformers' clean-up of the whole string.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sb = new System.Text.StringBuilder();
        bool first = true;
        foreach (int id in ids)
        {
            string token = id >= 0 && id < _idToToken.Length ? _idToToken[id] : "[UNK]";
            string piece = first ? token : token.StartsWith("##", StringComparison.Ordinal) ? token[2..] : " " + token;
            sb.Append(CleanUp(piece));
            first = false;
        }

        return _cleanUpSpaces ? CleanUp(sb.ToString()) : sb.ToString();
    }

    /// <summary>The token strings of ids (for tests and diagnostics).</summary>
    public IReadOnlyList<string> Tokens(IEnumerable<int> ids) => [.. ids.Select(i => _idToToken[i])];

    private static string CleanUp(string piece) => piece
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);

    /// <summary>Spans of the tokens between '.' separators (excluding [CLS], '.' and [SEP]).</summary>
    private List<(int Start, int End)> ClassSpans(int[] ids, int classCount)
    {
        var spans = new List<(int, int)>();
        int start = 1;
        for (int i = 1; i < ids.Length; i++)
        {
            if (ids[i] == PeriodId || ids[i] == SepId)
            {
                if (i > start)
                {
                    spans.Add((start, i));
                }

                start = i + 1;
            }
        }

        return spans.Count > classCount ? spans.GetRange(0, classCount) : spans;
    }
}
