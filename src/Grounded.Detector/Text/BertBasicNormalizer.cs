using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Grounded.Detector.Text;

/// <summary>
/// The BERT normaliser of Hugging Face tokenizers (BertNormalizer): drop control characters and map whitespace to
/// spaces, put spaces around CJK ideographs, strip accents (NFD, drop non-spacing marks), lower-case.
/// </summary>
internal sealed class BertBasicNormalizer(bool lowerCase, bool stripAccents, bool splitCjk) : Normalizer
{
    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var sb = new StringBuilder(original.Length + 8);
        foreach (var rune in original.ToString().EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhitespace(rune))
            {
                sb.Append(' ');
            }
            else if (splitCjk && IsCjk(cp))
            {
                sb.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }

        string text = sb.ToString();
        if (stripAccents)
        {
            var stripped = new StringBuilder(text.Length);
            foreach (char c in text.Normalize(NormalizationForm.FormD))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                {
                    stripped.Append(c);
                }
            }

            text = stripped.ToString();
        }

        return lowerCase ? text.ToLowerInvariant() : text;
    }

    internal static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune r)
    {
        if (r.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
    }

    private static bool IsCjk(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
