using Grounded.Masks;
using Grounded.Segmenter;

namespace Grounded.Studio.Api;

/// <summary>
/// A hover preview as the page draws it: each candidate's low-resolution mask (the decoder's grid over the image,
/// <see cref="Width"/> × <see cref="Height"/>) as a row-major bitmap, eight pixels a byte, first pixel in the high
/// bit, base64. A fixed 5–8 KB whatever the mask looks like (run lengths of a speckled mask ran to tens of KB).
/// </summary>
internal sealed record PreviewJson(int Width, int Height, int Best, IReadOnlyList<PreviewCandidate> Candidates)
{
    public static PreviewJson From(SegmentedObject preview)
    {
        var first = preview.Candidates[0].Mask;
        return new PreviewJson(first.Width, first.Height, preview.BestIndex, [.. preview.Candidates.Select(c => new PreviewCandidate(Math.Round(c.PredictedIou, 4), Bits(c.Mask)))]);
    }

    internal static string Bits(BinaryMask mask)
    {
        long total = (long)mask.Width * mask.Height;
        var bytes = new byte[(total + 7) / 8];
        for (long i = 0; i < total; i++)
        {
            if (mask.Get(i))
            {
                bytes[i >> 3] |= (byte)(0x80 >> (int)(i & 7));
            }
        }

        return Convert.ToBase64String(bytes);
    }
}

/// <summary>One candidate of a preview.</summary>
internal sealed record PreviewCandidate(double Iou, string Bits);
