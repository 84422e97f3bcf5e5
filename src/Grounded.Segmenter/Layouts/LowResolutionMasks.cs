using Grounded.Masks;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// The decoder's 256×256 logits cover the encoder's padded square; the image fills its top-left corner. A preview
/// keeps that corner only, thresholded, so the page can stretch it over the image.
/// </summary>
internal static class LowResolutionMasks
{
    /// <summary>The width and height of the corner of a <paramref name="gridSize"/> grid that covers the image.</summary>
    public static (int Width, int Height) Extent(ImageEmbedding e, int gridSize, int padSize)
    {
        int w = (int)Math.Ceiling((double)e.ResizedWidth * gridSize / padSize);
        int h = (int)Math.Ceiling((double)e.ResizedHeight * gridSize / padSize);
        return (Math.Clamp(w, 1, gridSize), Math.Clamp(h, 1, gridSize));
    }

    /// <summary>The covering corner of one candidate's logits, thresholded.</summary>
    public static BinaryMask Crop(ReadOnlySpan<float> logits, int gridWidth, int width, int height, float threshold)
    {
        var mask = new BinaryMask(width, height);
        for (int y = 0; y < height; y++)
        {
            mask.SetRowAbove(y, logits.Slice(y * gridWidth, width), threshold);
        }

        return mask;
    }
}
