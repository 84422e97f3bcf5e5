namespace Grounded.Results;

/// <summary>Everything the pipeline found in one image.</summary>
/// <param name="ImagePath">The input path (or a name for in-memory images).</param>
/// <param name="Width">Original width after EXIF orientation.</param>
/// <param name="Height">Original height after EXIF orientation.</param>
/// <param name="Objects">The objects, in detector order.</param>
/// <param name="TimingsMs">Per-stage wall time in milliseconds (load, detect, encode, decode, …).</param>
/// <param name="Warnings">Non-fatal notices, such as a truncated prompt.</param>
public sealed record ImageResult(string ImagePath, int Width, int Height, IReadOnlyList<GroundedObject> Objects, IReadOnlyDictionary<string, double> TimingsMs, IReadOnlyList<string> Warnings);
