namespace Grounded.Imaging;

/// <summary>Limits applied while reading an image.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>
    /// Largest accepted width × height (default 100 megapixels). Checked from the header, before any pixel is
    /// decoded, so a decompression bomb costs nothing.
    /// </summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Largest accepted file size in bytes (default 512 MiB).</summary>
    public long MaxFileBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static ImageLoadOptions Default { get; } = new();
}
