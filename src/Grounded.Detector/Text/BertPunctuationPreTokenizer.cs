using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Grounded.Detector.Text;

/// <summary>
/// Hugging Face's BertPreTokenizer: split on whitespace, and make every punctuation character its own word, where
/// punctuation is all ASCII non-alphanumerics (so '&lt;', '|', '$' count) plus Unicode's P categories.
/// </summary>
internal sealed class BertPunctuationPreTokenizer : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text ?? string.Empty);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    private static List<(int Offset, int Length)> Split(string text)
    {
        var words = new List<(int, int)>();
        int start = -1;
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out int width);
            if (BertBasicNormalizer.IsWhitespace(rune))
            {
                Flush(i);
            }
            else if (IsPunctuation(rune))
            {
                Flush(i);
                words.Add((i, width));
            }
            else if (start < 0)
            {
                start = i;
            }

            i += width;
        }

        Flush(text.Length);
        return words;

        void Flush(int end)
        {
            if (start >= 0)
            {
                words.Add((start, end - start));
                start = -1;
            }
        }
    }

    private static bool IsPunctuation(Rune r)
    {
        int cp = r.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }
}
