using Grounded.IO;
using Grounded.Imaging;
using Grounded.Masks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Outputs;

/// <summary>
/// PNG encodings of images, masks, index maps and cut-outs, each written atomically. The encoder reads the pixel
/// image in place (wrapped, not copied), and masks and cut-outs are drawn a row at a time into ImageSharp's own
/// memory, which is freed when written: at 10000×10000 each is 100–400 MB.
/// </summary>
internal static class PngWriter
{
    public static void Rgb(string path, RgbImage image)
    {
        using var img = SixLabors.ImageSharp.Image.WrapMemory<Rgb24>(image.Pixels.AsMemory(), image.Width, image.Height);
        AtomicFile.Write(path, s => img.SaveAsPng(s));
    }

    public static void Save<TPixel>(string path, Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel> => AtomicFile.Write(path, s => image.SaveAsPng(s, PictureEncoder));

    // Overlays and cut-outs are photographs: a light deflate level costs a fraction of the default's time for files
    // a little larger (bench profile-write).
    private static readonly PngEncoder PictureEncoder = new() { CompressionLevel = PngCompressionLevel.Level2 };

    // Masks and index maps are long runs of a few values: unfiltered, fastest deflate is several times quicker than
    // the default and the files stay small (bench profile-write).
    private static readonly PngEncoder FlatEncoder = new()
    {
        ColorType = PngColorType.Grayscale,
        BitDepth = PngBitDepth.Bit8,
        FilterMethod = PngFilterMethod.None,
        CompressionLevel = PngCompressionLevel.BestSpeed,
    };

    public static void Mask(string path, BinaryMask mask) =>
        Draw<L8>(path, mask.Width, mask.Height, FlatEncoder, (y, row) =>
        {
            long start = (long)y * mask.Width;
            for (int x = 0; x < row.Length; x++)
            {
                row[x] = new L8(mask.Get(start + x) ? (byte)255 : (byte)0);
            }
        });

    /// <summary>An 8-bit map where pixel value k marks object k (1-based; later objects win overlaps, as Grounded-SAM).</summary>
    public static void Index(string path, IReadOnlyList<BinaryMask?> masks, int width, int height) =>
        AtomicFile.Write(path, s => Index(s, masks, width, height));

    public static void Index(Stream stream, IReadOnlyList<BinaryMask?> masks, int width, int height) =>
        Draw<L8>(stream, width, height, FlatEncoder, (y, row) =>
        {
            long start = (long)y * width;
            for (int k = 0; k < masks.Count && k < 255; k++)
            {
                if (masks[k] is not { } m)
                {
                    continue;
                }

                for (int x = 0; x < row.Length; x++)
                {
                    if (m.Get(start + x))
                    {
                        row[x] = new L8((byte)(k + 1));
                    }
                }
            }
        });

    /// <summary>The object's pixels on transparency, cropped to the box (clipped to the image, rounded outward).</summary>
    public static void Cutout(string path, RgbImage image, BinaryMask mask, Geometry.BoxXyxy box) =>
        AtomicFile.Write(path, s => Cutout(s, image, mask, box));

    /// <summary>The object's pixels on transparency, cropped to the box, as a PNG on <paramref name="stream"/>.</summary>
    public static void Cutout(Stream stream, RgbImage image, BinaryMask mask, Geometry.BoxXyxy box)
    {
        int x0 = Math.Clamp((int)Math.Floor(box.X0), 0, image.Width - 1), y0 = Math.Clamp((int)Math.Floor(box.Y0), 0, image.Height - 1);
        int x1 = Math.Clamp((int)Math.Ceiling(box.X1), x0 + 1, image.Width), y1 = Math.Clamp((int)Math.Ceiling(box.Y1), y0 + 1, image.Height);
        int w = x1 - x0, h = y1 - y0;
        Draw<Rgba32>(stream, w, h, PictureEncoder, (y, row) =>
        {
            for (int x = 0; x < w; x++)
            {
                int src = (((y0 + y) * image.Width) + x0 + x) * 3;
                if (mask[x0 + x, y0 + y])
                {
                    row[x] = new Rgba32(image.Pixels[src], image.Pixels[src + 1], image.Pixels[src + 2], 255);
                }
            }
        });
    }

    /// <summary>Draws a width × height image a row at a time (rows start zeroed) and writes it as a PNG.</summary>
    private static void Draw<TPixel>(string path, int width, int height, PngEncoder? encoder, RowPainter<TPixel> paint)
        where TPixel : unmanaged, IPixel<TPixel> => AtomicFile.Write(path, s => Draw(s, width, height, encoder, paint));

    private static void Draw<TPixel>(Stream stream, int width, int height, PngEncoder? encoder, RowPainter<TPixel> paint)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var img = new Image<TPixel>(ImageMemory.Configuration, width, height);
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                paint(y, rows.GetRowSpan(y));
            }
        });
        if (encoder is null)
        {
            img.SaveAsPng(stream);
        }
        else
        {
            img.SaveAsPng(stream, encoder);
        }
    }

    private delegate void RowPainter<TPixel>(int y, Span<TPixel> row)
        where TPixel : unmanaged, IPixel<TPixel>;
}
