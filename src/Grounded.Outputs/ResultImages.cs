using Grounded.Imaging;
using Grounded.Results;

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
        var files = new List<string>();
        for (int k = 0; k < result.Objects.Count; k++)
        {
            if (result.Objects[k].Mask is { } mask)
            {
                string path = Path.Combine(folder, $"{k:00}.png");
                PngWriter.Mask(path, mask);
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>Every object on a transparent background, cropped to its box, as <c>NN.png</c>; returns the files written.</summary>
    public static IReadOnlyList<string> SaveCutouts(RgbImage image, ImageResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        var files = new List<string>();
        for (int k = 0; k < result.Objects.Count; k++)
        {
            if (result.Objects[k] is { Mask: { } mask } o)
            {
                string path = Path.Combine(folder, $"{k:00}.png");
                PngWriter.Cutout(path, image, mask, o.Box);
                files.Add(path);
            }
        }

        return files;
    }
}
