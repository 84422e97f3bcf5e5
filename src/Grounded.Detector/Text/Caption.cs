namespace Grounded.Detector.Text;

/// <summary>Builds the caption from a prompt or a list of classes, and splits it back into the user's classes.</summary>
public static class Caption
{
    /// <summary>Joins classes as Grounding DINO expects them: "dog . cat . remote control".</summary>
    public static string FromClasses(IEnumerable<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var parts = classes.Select(c => c.Trim().TrimEnd('.').Trim()).Where(c => c.Length > 0).ToList();
        if (parts.Count == 0)
        {
            throw new InvalidRequestException("The class list is empty: give at least one thing to find.");
        }

        return string.Join(" . ", parts);
    }

    /// <summary>Applies the caption mode. An empty or whitespace prompt is an error.</summary>
    public static string Build(string prompt, CaptionMode mode)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new InvalidRequestException("The prompt is empty: say what to find, e.g. \"the bear\" or \"dog . cat\".");
        }

        if (mode == CaptionMode.Raw)
        {
            return prompt;
        }

        string caption = prompt.ToLowerInvariant().Trim();
        return caption.EndsWith('.') ? caption : caption + ".";
    }

    /// <summary>The classes a caption names: the pieces between '.' separators, trimmed, in order.</summary>
    public static IReadOnlyList<string> Classes(string prompt) =>
        [.. prompt.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
