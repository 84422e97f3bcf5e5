using Grounded.Geometry;
using Grounded.Imaging;

namespace Grounded.Inpaint.Masking;

/// <summary>
/// The square region a fixed-size model sees: the mask's box plus context on every side, at least the model's size
/// where the image allows, kept inside the image.
/// </summary>
public readonly record struct ContextWindow(int X0, int Y0, int Width, int Height)
{
    /// <summary>Chooses the window for a mask box.</summary>
    /// <param name="box">The mask's box.</param>
    /// <param name="imageWidth">Image width.</param>
    /// <param name="imageHeight">Image height.</param>
    /// <param name="modelSize">The model's square input size.</param>
    /// <param name="contextRatio">Context on each side, as a fraction of the box's larger side.</param>
    public static ContextWindow Around(BoxXyxy box, int imageWidth, int imageHeight, int modelSize, double contextRatio)
    {
        double larger = Math.Max(box.Width, box.Height);
        int side = (int)Math.Ceiling(larger * (1 + (2 * contextRatio)));
        side = Math.Min(Math.Max(side, modelSize), Math.Max(imageWidth, imageHeight));
        double cx = (box.X0 + box.X1) / 2, cy = (box.Y0 + box.Y1) / 2;
        int x0 = Math.Clamp((int)Math.Round(cx - (side / 2.0)), 0, Math.Max(0, imageWidth - side));
        int y0 = Math.Clamp((int)Math.Round(cy - (side / 2.0)), 0, Math.Max(0, imageHeight - side));
        return new ContextWindow(x0, y0, Math.Min(side, imageWidth - x0), Math.Min(side, imageHeight - y0));
    }

    /// <summary>The window's pixels.</summary>
    public RgbImage Crop(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Crop(X0, Y0, Width, Height);
    }

    /// <summary>A copy of <paramref name="image"/> with <paramref name="patch"/> (window-sized) pasted in.</summary>
    public RgbImage Paste(RgbImage image, RgbImage patch)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(patch);
        var result = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        for (int y = 0; y < Height; y++)
        {
            patch.Row(y).CopyTo(result.Pixels.AsSpan((((Y0 + y) * image.Width) + X0) * 3, Width * 3));
        }

        return result;
    }

    /// <summary>The hole at <paramref name="size"/>×<paramref name="size"/>, nearest-neighbour, 1 = hole.</summary>
    public float[] ResampleMask(Masks.BinaryMask hole, int size)
    {
        ArgumentNullException.ThrowIfNull(hole);
        var result = new float[size * size];
        for (int y = 0; y < size; y++)
        {
            int sy = Y0 + Math.Min(Height - 1, (int)((y + 0.5) * Height / size));
            for (int x = 0; x < size; x++)
            {
                int sx = X0 + Math.Min(Width - 1, (int)((x + 0.5) * Width / size));
                result[(y * size) + x] = hole[sx, sy] ? 1f : 0f;
            }
        }

        return result;
    }
}
