namespace Grounded.Detector.Text;

/// <summary>
/// The reference's phrase for a box: the caption tokens whose probability is strictly above the text threshold,
/// excluding position 0 and every position from max_text_len − 1 on, decoded back to text ([SEP] is kept).
/// </summary>
internal static class PhraseDecoder
{
    public static string Decode(ReadOnlySpan<float> tokenProbabilities, IReadOnlyList<int> inputIds, float textThreshold, int maxTextLength, GroundingTokenizer tokenizer)
    {
        var selected = new List<int>();
        int last = Math.Min(Math.Min(tokenProbabilities.Length, maxTextLength - 1), inputIds.Count);
        for (int i = 1; i < last; i++)
        {
            if (tokenProbabilities[i] > textThreshold)
            {
                selected.Add(inputIds[i]);
            }
        }

        return tokenizer.Decode(selected);
    }
}
