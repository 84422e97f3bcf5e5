namespace Grounded.Detector.Text;

/// <summary>
/// Grounding DINO's text self-attention mask and position ids: tokens attend only within their phrase (the span
/// that ends at a separator, the separator included), and positions restart in every phrase.
/// </summary>
public static class TextMasks
{
    /// <summary>
    /// IDEA's <c>generate_masks_with_special_tokens_and_transfer_map</c> (GroundingDINO repo): the separator takes the
    /// next position of its phrase. This is what an IDEA-layout model must be fed.
    /// </summary>
    /// <returns>mask [S, S] row-major (true = may attend) and position ids [S].</returns>
    public static (bool[] Mask, long[] PositionIds) Idea(IReadOnlyList<int> inputIds, IReadOnlyList<int> specialIds) =>
        Build(inputIds, specialIds, separatorTakesNextPosition: true);

    /// <summary>
    /// Hugging Face's port of the same helper: identical mask, but the separator's position id is 0.
    /// </summary>
    public static (bool[] Mask, long[] PositionIds) HuggingFace(IReadOnlyList<int> inputIds, IReadOnlyList<int> specialIds) =>
        Build(inputIds, specialIds, separatorTakesNextPosition: false);

    private static (bool[] Mask, long[] PositionIds) Build(IReadOnlyList<int> ids, IReadOnlyList<int> specialIds, bool separatorTakesNextPosition)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(specialIds);
        int n = ids.Count;
        var mask = new bool[n * n];
        var positions = new long[n];
        for (int i = 0; i < n; i++)
        {
            mask[i * n + i] = true;
        }

        int previous = 0;
        for (int col = 0; col < n; col++)
        {
            if (!specialIds.Contains(ids[col]))
            {
                continue;
            }

            if (col != 0 && col != n - 1)
            {
                for (int r = previous + 1; r <= col; r++)
                {
                    for (int c = previous + 1; c <= col; c++)
                    {
                        mask[r * n + c] = true;
                    }

                    positions[r] = r - previous - 1;
                }

                if (!separatorTakesNextPosition)
                {
                    positions[col] = 0;
                }
            }

            previous = col;
        }

        return (mask, positions);
    }
}
