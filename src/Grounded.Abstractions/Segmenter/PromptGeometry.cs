using System.Globalization;

namespace Grounded.Segmenter;

/// <summary>
/// Prompts against the image they are for: a click outside the image, or a box wholly outside it, is a usage error
/// (SAM would answer with a mask of somewhere else); a box that overlaps the image is clipped to it, with a warning.
/// </summary>
public static class PromptGeometry
{
    /// <summary>The prompts fitted to a width × height image, and the warnings for what was clipped.</summary>
    /// <exception cref="InvalidRequestException">A click lies outside the image, or a box misses it.</exception>
    public static (IReadOnlyList<SamPrompt> Prompts, IReadOnlyList<string> Warnings) Fit(IReadOnlyList<SamPrompt> prompts, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var warnings = new List<string>();
        var fitted = new List<SamPrompt>(prompts.Count);
        foreach (var prompt in prompts)
        {
            foreach (var p in prompt.Points)
            {
                if (!(p.X >= 0 && p.Y >= 0 && p.X < width && p.Y < height))
                {
                    throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture, $"The point {p.X},{p.Y} is outside the {width}x{height} image (x 0..{width - 1}, y 0..{height - 1})."));
                }
            }

            if (prompt.Box is { } box)
            {
                var clipped = box.ClipTo(width, height);
                if (clipped.Width <= 0 || clipped.Height <= 0)
                {
                    throw new InvalidRequestException($"The box {box} does not overlap the {width}x{height} image.");
                }

                if (clipped != box)
                {
                    warnings.Add($"The box {box} reaches outside the {width}x{height} image; it was clipped to {clipped}.");
                    fitted.Add(prompt with { Box = clipped });
                    continue;
                }
            }

            fitted.Add(prompt);
        }

        return (fitted, warnings);
    }
}
