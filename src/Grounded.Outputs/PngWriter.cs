using Grounded.IO;
using Grounded.Imaging;
using Grounded.Masks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Outputs;

/// <summary>
/// PNG encodings of images, masks, index maps and cut-outs, each written atomically. The encoder reads the pixel
/// buffers in place (wrapped, not copied): at 10000×10000 a copy is 100–400 MB.
/// </summary>
internal static class PngWriter
{
    public static void Rgb(string path, RgbImage image)
    {
        using var img = SixLabors.ImageSharp.Image.WrapMemory<Rgb24>(image.Pixels.AsMemory(), image.Width, image.Height);
        AtomicFile.Write(path, s => img.SaveAsPng(s));
    }

    public static void Mask(string path, BinaryMask mask) =>
        WithBuffer<L8>(path, mask.Width, mask.Height, 1, bytes =>
        {
            for (int i = 0; i < mask.Width * mask.Height; i++)
            {
                bytes[i] = mask.Get(i) ? (byte)255 : (byte)0;
            }
        });

    /// <summary>An 8-bit map where pixel value k marks object k (1-based; later objects win overlaps, as Grounded-SAM).</summary>
    public static void Index(string path, IReadOnlyList<BinaryMask?> masks, int width, int height) =>
        WithBuffer<L8>(path, width, height, 1, bytes =>
        {
            for (int k = 0; k < masks.Count && k < 255; k++)
            {
                if (masks[k] is not { } m)
                {
                    continue;
                }

                for (int i = 0; i < width * height; i++)
                {
                    if (m.Get(i))
                    {
                        bytes[i] = (byte)(k + 1);
                    }
                }
            }
        });

    /// <summary>The object's pixels on transparency, cropped to the box (clipped to the image, rounded outward).</summary>
    public static void Cutout(string path, RgbImage image, BinaryMask mask, Geometry.BoxXyxy box)
    {
        int x0 = Math.Clamp((int)Math.Floor(box.X0), 0, image.Width - 1), y0 = Math.Clamp((int)Math.Floor(box.Y0), 0, image.Height - 1);
        int x1 = Math.Clamp((int)Math.Ceiling(box.X1), x0 + 1, image.Width), y1 = Math.Clamp((int)Math.Ceiling(box.Y1), y0 + 1, image.Height);
        int w = x1 - x0, h = y1 - y0;
        WithBuffer<Rgba32>(path, w, h, 4, rgba =>
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int src = (((y0 + y) * image.Width) + x0 + x) * 3, dst = ((y * w) + x) * 4;
                    if (mask[x0 + x, y0 + y])
                    {
                        rgba[dst] = image.Pixels[src];
                        rgba[dst + 1] = image.Pixels[src + 1];
                        rgba[dst + 2] = image.Pixels[src + 2];
                        rgba[dst + 3] = 255;
                    }
                }
            }
        });
    }

    /// <summary>Draws into a zeroed buffer of width × height pixels and writes it as a PNG.</summary>
    private static void WithBuffer<TPixel>(string path, int width, int height, int bytesPerPixel, Action<byte[]> draw)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        // A fresh buffer, not a pooled one: a pool would keep the largest (hundreds of MB) for the rest of the run.
        var buffer = new byte[width * height * bytesPerPixel];
        draw(buffer);
        using var img = SixLabors.ImageSharp.Image.WrapMemory<TPixel>(buffer.AsMemory(), width, height);
        AtomicFile.Write(path, s => img.SaveAsPng(s));
    }
}
