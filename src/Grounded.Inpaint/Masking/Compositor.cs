using Grounded.Masks;
using Grounded.Imaging;

namespace Grounded.Inpaint.Masking;

/// <summary>Blends an edited image over the original by a soft mask; where the weight is 0 the original is kept exactly.</summary>
public static class Compositor
{
    /// <summary>original·(1−α) + edited·α, per pixel.</summary>
    public static RgbImage Blend(RgbImage original, RgbImage edited, AlphaMask alpha)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(edited);
        ArgumentNullException.ThrowIfNull(alpha);
        var result = new RgbImage(original.Width, original.Height, (byte[])original.Pixels.Clone());
        for (int i = 0; i < alpha.Weights.Length; i++)
        {
            float a = alpha.Weights[i];
            if (a <= 0f)
            {
                continue;
            }

            int p = i * 3;
            for (int c = 0; c < 3; c++)
            {
                float v = (original.Pixels[p + c] * (1 - a)) + (edited.Pixels[p + c] * a);
                result.Pixels[p + c] = (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
            }
        }

        return result;
    }
}
