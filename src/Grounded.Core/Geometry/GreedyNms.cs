namespace Grounded.Geometry;

/// <summary>
/// Greedy non-maximum suppression as torchvision's nms: visit boxes by descending score (ties keep input order) and
/// drop any whose IoU with a kept box is above the threshold. Returns kept indices in visiting order.
/// </summary>
public static class GreedyNms
{
    /// <summary>Indices of the kept boxes, highest score first.</summary>
    public static int[] Keep(IReadOnlyList<BoxXyxy> boxes, IReadOnlyList<float> scores, float iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        var order = Enumerable.Range(0, boxes.Count).OrderByDescending(i => scores[i]).ToArray();
        var kept = new List<int>();
        var suppressed = new bool[boxes.Count];
        for (int a = 0; a < order.Length; a++)
        {
            int i = order[a];
            if (suppressed[i])
            {
                continue;
            }

            kept.Add(i);
            if (iouThreshold >= 1f)
            {
                continue;
            }

            for (int b = a + 1; b < order.Length; b++)
            {
                int j = order[b];
                if (!suppressed[j] && boxes[i].IoU(boxes[j]) > iouThreshold)
                {
                    suppressed[j] = true;
                }
            }
        }

        return [.. kept];
    }
}
