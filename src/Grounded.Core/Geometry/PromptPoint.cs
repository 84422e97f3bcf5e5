namespace Grounded.Geometry;

/// <summary>A click in original-image pixels: positive (the object) or negative (not the object).</summary>
public readonly record struct PromptPoint(float X, float Y, bool IsPositive = true)
{
    /// <summary>Parses "x,y" or "x,y:label" where label is 1 (positive) or 0 (negative).</summary>
    public static PromptPoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string coords = text;
        bool positive = true;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            string label = text[(colon + 1)..].Trim();
            positive = label switch
            {
                "1" or "+" or "pos" or "positive" => true,
                "0" or "-" or "neg" or "negative" => false,
                _ => throw new InvalidRequestException($"A point label is 1 (positive) or 0 (negative); got '{label}'."),
            };
            coords = text[..colon];
        }

        var parts = coords.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !float.TryParse(parts[0], inv, out float x)
            || !float.TryParse(parts[1], inv, out float y))
        {
            throw new InvalidRequestException($"A point is 'x,y' or 'x,y:label' in pixels; got '{text}'.");
        }

        if (!float.IsFinite(x) || !float.IsFinite(y))
        {
            throw new InvalidRequestException($"A point's coordinates must be finite numbers; got '{text}'.");
        }

        return new PromptPoint(x, y, positive);
    }
}
