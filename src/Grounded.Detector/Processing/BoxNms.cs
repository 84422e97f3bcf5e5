using Grounded.Results;
using Grounded.Geometry;

namespace Grounded.Detector.Processing;

/// <summary>Non-maximum suppression of detections, per class or across classes.</summary>
internal static class BoxNms
{
    public static List<GroundedObject> Apply(IReadOnlyList<GroundedObject> detections, NmsMode mode, float iouThreshold)
    {
        if (mode == NmsMode.None)
        {
            return [.. detections];
        }

        if (mode == NmsMode.ClassAgnostic)
        {
            return [.. GreedyNms.Keep([.. detections.Select(d => d.Box)], [.. detections.Select(d => d.Score)], iouThreshold).Select(i => detections[i])];
        }

        return [.. detections.GroupBy(d => d.Label, StringComparer.Ordinal)
            .SelectMany(g => Apply([.. g], NmsMode.ClassAgnostic, iouThreshold))
            .OrderByDescending(d => d.Score)];
    }
}
