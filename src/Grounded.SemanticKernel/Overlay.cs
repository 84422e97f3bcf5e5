using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace Grounded.SemanticKernel;

/// <summary>A written image made small enough to send to a model.</summary>
internal static class Overlay
{
    /// <summary>The PNG at <paramref name="path"/>, downscaled so neither side exceeds <paramref name="maxSide"/>.</summary>
    public static byte[] Thumbnail(string path, int maxSide)
    {
        using var image = Image.Load(path);
        if (image.Width > maxSide || image.Height > maxSide)
        {
            double scale = (double)maxSide / Math.Max(image.Width, image.Height);
            image.Mutate(x => x.Resize(Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale))));
        }

        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }
}
