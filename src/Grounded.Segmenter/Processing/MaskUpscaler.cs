using Grounded.Masks;

namespace Grounded.Segmenter.Processing;

/// <summary>
/// SAM's mask post-processing: low-resolution logits upscaled (bilinear, align_corners=False) to the padded encoder
/// frame, cropped to the resized image, resized (bilinear) to the original size, then thresholded. Float32
/// arithmetic in the same order as PyTorch's CPU kernel, so the thresholded pixels agree with the reference.
/// </summary>
internal static class MaskUpscaler
{
    /// <summary>Upscales one [lowSize, lowSize] logit map to a mask of the original image size.</summary>
    public static BinaryMask ToMask(ReadOnlySpan<float> lowRes, int lowSize, int padSize, int resizedWidth, int resizedHeight, int width, int height, float threshold)
    {
        // Stage 1: low -> padded frame, computing only the rows/columns inside the resized image.
        float[] cropped = Resample(lowRes, lowSize, lowSize, padSize, padSize, resizedWidth, resizedHeight);
        // Stage 2: cropped -> original size.
        float[] full = Resample(cropped, resizedWidth, resizedHeight, width, height, width, height);
        return BinaryMask.FromThreshold(full, width, height, threshold);
    }

    /// <summary>
    /// Bilinear resize of an [inH, inW] map to [outH, outW] (align_corners=False), returning only the top-left
    /// [keepH, keepW] corner.
    /// </summary>
    internal static float[] Resample(ReadOnlySpan<float> input, int inW, int inH, int outW, int outH, int keepW, int keepH)
    {
        var (x0, x1, wx0, wx1) = Axis(inW, outW, keepW);
        var (y0, y1, wy0, wy1) = Axis(inH, outH, keepH);

        // Horizontal pass over every input row that the vertical pass reads.
        var rows = new float[inH * keepW];
        for (int r = 0; r < inH; r++)
        {
            var src = input.Slice(r * inW, inW);
            int o = r * keepW;
            for (int x = 0; x < keepW; x++)
            {
                rows[o + x] = (wx0[x] * src[x0[x]]) + (wx1[x] * src[x1[x]]);
            }
        }

        var output = new float[keepH * keepW];
        Parallel.For(0, keepH, y =>
        {
            int a = y0[y] * keepW, b = y1[y] * keepW, o = y * keepW;
            float h0 = wy0[y], h1 = wy1[y];
            for (int x = 0; x < keepW; x++)
            {
                output[o + x] = (h0 * rows[a + x]) + (h1 * rows[b + x]);
            }
        });
        return output;
    }

    private static (int[] I0, int[] I1, float[] W0, float[] W1) Axis(int inSize, int outSize, int keep)
    {
        var i0 = new int[keep];
        var i1 = new int[keep];
        var w0 = new float[keep];
        var w1 = new float[keep];
        float scale = (float)inSize / outSize;
        for (int d = 0; d < keep; d++)
        {
            float src = (scale * (d + 0.5f)) - 0.5f;
            if (src < 0)
            {
                src = 0;
            }

            int lo = (int)src;
            int step = lo < inSize - 1 ? 1 : 0;
            float lambda = src - lo;
            i0[d] = lo;
            i1[d] = lo + step;
            w1[d] = lambda;
            w0[d] = 1f - lambda;
        }

        return (i0, i1, w0, w1);
    }
}
