using Grounded.Results;

namespace Grounded.Detector;

/// <summary>The detections in one image. No detection is an empty list, not an error.</summary>
/// <param name="Width">Original image width.</param>
/// <param name="Height">Original image height.</param>
/// <param name="Detections">Kept boxes, in query order (or score order after NMS).</param>
/// <param name="Warnings">For example the classes dropped when the prompt was truncated.</param>
public sealed record DetectionResult(int Width, int Height, IReadOnlyList<GroundedObject> Detections, IReadOnlyList<string> Warnings);
