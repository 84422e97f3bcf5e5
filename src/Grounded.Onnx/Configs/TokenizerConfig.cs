using System.Text.Json;

namespace Grounded.Onnx.Configs;

/// <summary>tokenizer_config.json: the keys the BERT and CLIP tokenizers read.</summary>
public sealed record TokenizerConfig
{
    /// <summary>Lower-case the text (BERT).</summary>
    public bool? DoLowerCase { get; init; }

    /// <summary>Strip accents (BERT; null follows lower-casing).</summary>
    public bool? StripAccents { get; init; }

    /// <summary>Space around CJK characters (BERT).</summary>
    public bool? TokenizeChineseChars { get; init; }

    /// <summary>transformers' whole-string clean-up when decoding.</summary>
    public bool? CleanUpTokenizationSpaces { get; init; }

    /// <summary>The padding token: a string or {"content": …} (CLIP).</summary>
    public JsonElement? PadToken { get; init; }

    /// <summary>The longest sequence (CLIP: 77).</summary>
    public JsonElement? ModelMaxLength { get; init; }
}

/// <summary>A model's config.json: only what Grounded reads (Grounding DINO's text length).</summary>
public sealed record TextModelConfig
{
    /// <summary>Grounding DINO's max_text_len.</summary>
    public JsonElement? MaxTextLen { get; init; }
}
