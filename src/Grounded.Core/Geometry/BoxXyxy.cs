namespace Grounded.Geometry;

/// <summary>An axis-aligned box in pixels: left, top, right, bottom.</summary>
public readonly record struct BoxXyxy(float X0, float Y0, float X1, float Y1)
{
    /// <summary>Width (never negative).</summary>
    public float Width => Math.Max(0f, X1 - X0);

    /// <summary>Height (never negative).</summary>
    public float Height => Math.Max(0f, Y1 - Y0);

    /// <summary>Area (zero for a degenerate box).</summary>
    public float Area => Width * Height;

    /// <summary>Builds a box from a normalised centre/size box scaled to an image.</summary>
    public static BoxXyxy FromNormalizedCxCyWh(float cx, float cy, float w, float h, int imageWidth, int imageHeight) =>
        new((cx - 0.5f * w) * imageWidth, (cy - 0.5f * h) * imageHeight, (cx + 0.5f * w) * imageWidth, (cy + 0.5f * h) * imageHeight);

    /// <summary>Intersection over union with another box.</summary>
    public float IoU(BoxXyxy other)
    {
        float iw = Math.Min(X1, other.X1) - Math.Max(X0, other.X0);
        float ih = Math.Min(Y1, other.Y1) - Math.Max(Y0, other.Y0);
        if (iw <= 0 || ih <= 0)
        {
            return 0f;
        }

        float inter = iw * ih;
        float union = Area + other.Area - inter;
        return union <= 0 ? 0f : inter / union;
    }

    /// <summary>The box clipped to an image of the given size.</summary>
    public BoxXyxy ClipTo(int width, int height) =>
        new(Math.Clamp(X0, 0, width), Math.Clamp(Y0, 0, height), Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height));

    /// <summary>Parses "x0,y0,x1,y1".</summary>
    public static BoxXyxy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4
            || !float.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out float x0)
            || !float.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out float y0)
            || !float.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out float x1)
            || !float.TryParse(parts[3], System.Globalization.CultureInfo.InvariantCulture, out float y1))
        {
            throw new InvalidRequestException($"A box is 'x0,y0,x1,y1' in pixels; got '{text}'.");
        }

        if (!(float.IsFinite(x0) && float.IsFinite(y0) && float.IsFinite(x1) && float.IsFinite(y1)))
        {
            throw new InvalidRequestException($"A box's coordinates must be finite numbers; got '{text}'.");
        }

        if (x1 < x0 || y1 < y0)
        {
            throw new InvalidRequestException($"A box needs x0 <= x1 and y0 <= y1; got '{text}'.");
        }

        return new BoxXyxy(x0, y0, x1, y1);
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"[{X0:0.##}, {Y0:0.##}, {X1:0.##}, {Y1:0.##}]");
}
