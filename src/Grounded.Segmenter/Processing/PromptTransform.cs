namespace Grounded.Segmenter.Processing;

/// <summary>Maps original-pixel prompt coordinates into the resized encoder frame (x · new_w/old_w, y · new_h/old_h).</summary>
internal static class PromptTransform
{
    public static float X(float x, ImageEmbedding e) => (float)(x * ((double)e.ResizedWidth / e.OriginalWidth));

    public static float Y(float y, ImageEmbedding e) => (float)(y * ((double)e.ResizedHeight / e.OriginalHeight));
}
