namespace Grounded.Masks;

/// <summary>A soft mask: one weight in 0..1 per pixel, row-major. 1 edits, 0 keeps the original.</summary>
public sealed class AlphaMask
{
    /// <summary>Creates a mask over existing weights.</summary>
    public AlphaMask(int width, int height, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != width * height)
        {
            throw new ArgumentException($"Expected {width * height} weights.", nameof(weights));
        }

        Width = width;
        Height = height;
        Weights = weights;
    }

    /// <summary>Width.</summary>
    public int Width { get; }

    /// <summary>Height.</summary>
    public int Height { get; }

    /// <summary>Weights in 0..1.</summary>
    public float[] Weights { get; }

    /// <summary>A hard mask: 1 inside, 0 outside.</summary>
    public static AlphaMask From(BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var weights = new float[mask.Width * mask.Height];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = mask.Get(i) ? 1f : 0f;
        }

        return new AlphaMask(mask.Width, mask.Height, weights);
    }

    /// <summary>Pixels with any weight (what an inpainter must fill).</summary>
    public BinaryMask Support()
    {
        var mask = new BinaryMask(Width, Height);
        for (int i = 0; i < Weights.Length; i++)
        {
            if (Weights[i] > 0f)
            {
                mask.Set(i, true);
            }
        }

        return mask;
    }
}
