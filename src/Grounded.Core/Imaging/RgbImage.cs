namespace Grounded.Imaging;

/// <summary>
/// An 8-bit RGB image held as interleaved bytes (row-major, R G B per pixel). Every model's reference
/// pre-processing starts from exactly this representation, so it is the one image type the stages share.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Creates an image over an existing pixel buffer of <c>width * height * 3</c> bytes.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"Expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height)
        : this(width, height, new byte[checked(width * height * 3)])
    {
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, row-major: pixel (x, y) starts at <c>(y * Width + x) * 3</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The bytes of one row.</summary>
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width * 3, Width * 3);

    /// <summary>A copy of the <paramref name="width"/> × <paramref name="height"/> region at (<paramref name="x0"/>, <paramref name="y0"/>).</summary>
    public RgbImage Crop(int x0, int y0, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x0);
        ArgumentOutOfRangeException.ThrowIfNegative(y0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(x0 + width, Width);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(y0 + height, Height);
        var crop = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            Pixels.AsSpan((((y0 + y) * Width) + x0) * 3, width * 3).CopyTo(crop.Row(y));
        }

        return crop;
    }
}
