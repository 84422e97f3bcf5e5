using Grounded.Geometry;

namespace Grounded.Detector;

/// <summary>One detected object.</summary>
/// <param name="Box">Box in original-image pixels.</param>
/// <param name="Score">Best token probability (the reference's box score).</param>
/// <param name="Label">The user's class whose tokens hold the strongest match: never merged, never a "##" fragment.</param>
/// <param name="Phrase">The reference's phrase: every token above the text threshold, decoded.</param>
/// <param name="QueryIndex">The decoder query that produced it.</param>
public sealed record Detection(BoxXyxy Box, float Score, string Label, string Phrase, int QueryIndex);
