using Grounded.Imaging;

namespace Grounded.Benchmarks;

/// <summary>Deterministic test images and paths shared by the benchmarks.</summary>
public static class SyntheticImages
{
    /// <summary>A 1920×1080 image with texture (gradients plus noise), so resampling does real work.</summary>
    public static RgbImage FullHd() => Make(1920, 1080);

    public static RgbImage Make(int width, int height)
    {
        var random = new Random(42);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                image.Pixels[i] = (byte)((x * 255 / width + random.Next(16)) & 255);
                image.Pixels[i + 1] = (byte)((y * 255 / height + random.Next(16)) & 255);
                image.Pixels[i + 2] = (byte)(((x + y) / 4 + random.Next(16)) & 255);
            }
        }

        return image;
    }

    /// <summary>Walks up from the binary to find a folder (tests/fixtures, ../shared/bench-models).</summary>
    public static string Find(params string[] relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            string candidate = Path.Combine([dir.FullName, .. relative]);
            if (Directory.Exists(candidate) || File.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException(string.Join('/', relative));
    }
}
