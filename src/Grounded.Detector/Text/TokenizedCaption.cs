namespace Grounded.Detector.Text;

/// <summary>
/// A caption as the text encoder sees it: ids with [CLS] … [SEP], and for each user class the token span that names it.
/// </summary>
/// <param name="InputIds">Token ids, [CLS] first and [SEP] last.</param>
/// <param name="ClassSpans">Per class, the first and one-past-last token index of its words.</param>
/// <param name="Classes">The class names, in caption order.</param>
/// <param name="DroppedClasses">Classes cut off by the token limit.</param>
public sealed record TokenizedCaption(int[] InputIds, IReadOnlyList<(int Start, int End)> ClassSpans, IReadOnlyList<string> Classes, IReadOnlyList<string> DroppedClasses)
{
    /// <summary>Number of tokens.</summary>
    public int Length => InputIds.Length;
}
