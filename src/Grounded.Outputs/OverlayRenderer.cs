using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Results;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using System.Runtime.InteropServices;

namespace Grounded.Outputs;

/// <summary>Draws translucent masks, box outlines and labels with scores over a copy of the image.</summary>
internal static class OverlayRenderer
{
    private const float MaskAlpha = 0.45f;

    /// <summary>The overlay as an ImageSharp image in <see cref="ImageMemory"/> (the caller disposes it; no managed copy of the image).</summary>
    public static Image<Rgb24> Render(RgbImage image, IReadOnlyList<GroundedObject> objects)
    {
        var canvas = new Image<Rgb24>(ImageMemory.Configuration, image.Width, image.Height);
        try
        {
            // Masks in object order, a row at a time, rows in parallel: the same blend as one mask after another.
            Parallel.For(0, image.Height, y =>
            {
                var row = canvas.DangerousGetPixelRowMemory(y).Span;
                image.Row(y).CopyTo(MemoryMarshal.AsBytes(row));
                long start = (long)y * image.Width;
                for (int k = 0; k < objects.Count; k++)
                {
                    if (objects[k].Mask is not { } mask)
                    {
                        continue;
                    }

                    var (r, g, b) = Palette.Of(k);
                    for (int x = 0; x < row.Length; x++)
                    {
                        if (mask.Get(start + x))
                        {
                            ref var p = ref row[x];
                            p = new Rgb24(Blend(p.R, r), Blend(p.G, g), Blend(p.B, b));
                        }
                    }
                }
            });

            // Lines and text scale with the image so labels stay legible on large photos.
            int scale = Math.Max(1, Math.Min(image.Width, image.Height) / 500);
            for (int k = 0; k < objects.Count; k++)
            {
                var color = Palette.Of(k);
                var box = objects[k].Box.ClipTo(image.Width - 1, image.Height - 1);
                DrawRectangle(canvas, box, color, 2 * scale);
                string text = FormattableString.Invariant($"{objects[k].Label} {objects[k].Score:0.00}");
                DrawLabel(canvas, text, (int)box.X0, (int)box.Y0, color, scale);
            }

            return canvas;
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
    }

    private static byte Blend(byte under, byte over) => (byte)((under * (1 - MaskAlpha)) + (over * MaskAlpha) + 0.5f);

    private static void DrawRectangle(Image<Rgb24> canvas, BoxXyxy box, (byte R, byte G, byte B) c, int thickness)
    {
        int x0 = (int)box.X0, y0 = (int)box.Y0, x1 = (int)box.X1, y1 = (int)box.Y1;
        for (int t = 0; t < thickness; t++)
        {
            for (int x = x0; x <= x1; x++)
            {
                Put(canvas, x, y0 + t, c);
                Put(canvas, x, y1 - t, c);
            }

            for (int y = y0; y <= y1; y++)
            {
                Put(canvas, x0 + t, y, c);
                Put(canvas, x1 - t, y, c);
            }
        }
    }

    private static void DrawLabel(Image<Rgb24> canvas, string text, int x, int y, (byte R, byte G, byte B) c, int scale)
    {
        int w = ((text.Length * BitmapFont.GlyphWidth) + 4) * scale, h = (BitmapFont.GlyphHeight + 2) * scale;
        // Above the box when there is room, else inside its top edge.
        int top = y - h >= 0 ? y - h : y;
        int left = Math.Clamp(x, 0, Math.Max(0, canvas.Width - w));
        for (int yy = 0; yy < h; yy++)
        {
            for (int xx = 0; xx < w; xx++)
            {
                Put(canvas, left + xx, top + yy, c);
            }
        }

        // White or black text, whichever contrasts more with the label colour.
        (byte, byte, byte) ink = (0.299 * c.R) + (0.587 * c.G) + (0.114 * c.B) > 150 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255);
        for (int i = 0; i < text.Length; i++)
        {
            for (int gy = 0; gy < BitmapFont.GlyphHeight; gy++)
            {
                for (int gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                {
                    if (!BitmapFont.IsSet(text[i], gx, gy))
                    {
                        continue;
                    }

                    for (int sy = 0; sy < scale; sy++)
                    {
                        for (int sx = 0; sx < scale; sx++)
                        {
                            Put(canvas, left + ((2 + (i * BitmapFont.GlyphWidth) + gx) * scale) + sx, top + ((1 + gy) * scale) + sy, ink);
                        }
                    }
                }
            }
        }
    }

    private static void Put(Image<Rgb24> canvas, int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x >= (uint)canvas.Width || (uint)y >= (uint)canvas.Height)
        {
            return;
        }

        canvas[x, y] = new Rgb24(c.R, c.G, c.B);
    }
}
