namespace Grounded.Detector.Processing;

/// <summary>Greedy non-maximum suppression in descending score order.</summary>
internal static class BoxNms
{
    public static List<Detection> Apply(IReadOnlyList<Detection> detections, NmsMode mode, float iouThreshold)
    {
        if (mode == NmsMode.None)
        {
            return [.. detections];
        }

        var ordered = detections.OrderByDescending(d => d.Score).ToList();
        var kept = new List<Detection>();
        foreach (var d in ordered)
        {
            bool suppressed = kept.Any(k => (mode == NmsMode.ClassAgnostic || k.Label == d.Label) && k.Box.IoU(d.Box) > iouThreshold);
            if (!suppressed)
            {
                kept.Add(d);
            }
        }

        return kept;
    }
}
