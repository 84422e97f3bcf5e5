namespace Grounded.Imaging;

/// <summary>
/// The size a model's pre-processing resizes an image to, refused when a side rounds to no pixels: a very elongated
/// image (1×5000 for SAM's longest side of 1024 or Grounding DINO's 800/1333). The references fail on it as well.
/// </summary>
public static class ModelInputSize
{
    /// <summary>Returns <paramref name="resized"/> when both sides hold a pixel.</summary>
    /// <exception cref="ImageLoadException">A side of the resized image is 0 (an input error: exit 3 in the CLI).</exception>
    public static (int Width, int Height) Checked((int Width, int Height) resized, int width, int height, string model)
    {
        if (resized.Width >= 1 && resized.Height >= 1)
        {
            return resized;
        }

        throw new ImageLoadException($"The image is {width}x{height}, too elongated for {model}: its pre-processing would resize it to {resized.Width}x{resized.Height} pixels.");
    }
}
