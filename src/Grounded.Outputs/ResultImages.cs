using Grounded.Imaging;
using Grounded.Results;
using SixLabors.ImageSharp;

namespace Grounded.Outputs;

/// <summary>Saves one result's pictures as PNG files (written atomically): the overlay, each mask, each cut-out.</summary>
public static class ResultImages
{
    /// <summary>An image as a PNG file.</summary>
    public static void Save(RgbImage image, string path) => PngWriter.Rgb(path, image);

    /// <summary>Masks, boxes and labels drawn over the image.</summary>
    public static void SaveOverlay(RgbImage image, ImageResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var overlay = OverlayRenderer.Render(image, result.Objects);
        PngWriter.Save(path, overlay);
    }

    /// <summary>Every object's mask as <c>NN.png</c> (255 inside) in <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> SaveMasks(ImageResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        // One encode per object, as many at once as there are cores: each is independent and single-threaded.
        return EachObject(result.Objects, folder, (path, o) => PngWriter.Mask(path, o.Mask!));
    }

    /// <summary>Every object on a transparent background, cropped to its box, as <c>NN.png</c>; returns the files written.</summary>
    public static IReadOnlyList<string> SaveCutouts(RgbImage image, ImageResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        return EachObject(result.Objects, folder, (path, o) => PngWriter.Cutout(path, image, o.Mask!, o.Box));
    }

    private const long LargeImagePixels = 16_000_000;

    private static List<string> EachObject(IReadOnlyList<GroundedObject> objects, string folder, Action<string, GroundedObject> write)
    {
        var indices = Enumerable.Range(0, objects.Count).Where(k => objects[k].Mask is not null).ToList();
        var files = indices.Select(k => Path.Combine(folder, $"{k:00}.png")).ToList();
        // A huge image's mask or cut-out buffer is hundreds of MB: those are written one at a time.
        long pixels = indices.Count == 0 ? 0 : (long)objects[indices[0]].Mask!.Width * objects[indices[0]].Mask!.Height;
        var options = new ParallelOptions { MaxDegreeOfParallelism = pixels > LargeImagePixels ? 1 : Environment.ProcessorCount };
        Parallel.For(0, indices.Count, options, i => write(files[i], objects[indices[i]]));
        return files;
    }

    /// <summary>The overlay as a PNG on a stream (a server's download).</summary>
    public static void WriteOverlay(Stream stream, RgbImage image, ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var overlay = OverlayRenderer.Render(image, result.Objects);
        overlay.SaveAsPng(stream);
    }

    /// <summary>An image as a PNG on a stream.</summary>
    public static void WriteImage(Stream stream, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var img = SixLabors.ImageSharp.Image.WrapMemory<SixLabors.ImageSharp.PixelFormats.Rgb24>(image.Pixels.AsMemory(), image.Width, image.Height);
        img.SaveAsPng(stream);
    }

    /// <summary>The objects' masks as one 8-bit index PNG (pixel value k marks object k, 1-based; later objects win overlaps).</summary>
    public static void WriteIndexMask(Stream stream, ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        PngWriter.Index(stream, [.. result.Objects.Select(o => o.Mask)], result.Width, result.Height);
    }

    /// <summary>The union of the objects' masks on transparency, cropped to their common box, as a PNG; false when no object has a mask.</summary>
    public static bool WriteCutout(Stream stream, RgbImage image, IReadOnlyList<GroundedObject> objects)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(objects);
        var masks = objects.Where(o => o.Mask is not null).Select(o => o.Mask!).ToList();
        if (masks.Count == 0)
        {
            return false;
        }

        var union = Masks.MaskOps.Combine(masks, Masks.MaskCombineMode.Merge)[0];
        if (union.BoundingBox() is not { } box)
        {
            return false;
        }

        PngWriter.Cutout(stream, image, union, box);
        return true;
    }
}
