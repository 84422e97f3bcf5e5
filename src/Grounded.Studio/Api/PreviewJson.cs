using Grounded.Masks;
using Grounded.Segmenter;

namespace Grounded.Studio.Api;

/// <summary>
/// A hover preview as the page draws it: each candidate's low-resolution mask (the decoder's grid over the image,
/// <see cref="Width"/> × <see cref="Height"/>) as row-major run lengths that start with a run of zeros.
/// </summary>
internal sealed record PreviewJson(int Width, int Height, int Best, IReadOnlyList<PreviewCandidate> Candidates)
{
    public static PreviewJson From(SegmentedObject preview)
    {
        var first = preview.Candidates[0].Mask;
        return new PreviewJson(first.Width, first.Height, preview.BestIndex, [.. preview.Candidates.Select(c => new PreviewCandidate(Math.Round(c.PredictedIou, 4), Runs(c.Mask)))]);
    }

    internal static int[] Runs(BinaryMask mask)
    {
        var runs = new List<int>();
        long total = (long)mask.Width * mask.Height;
        bool current = false;
        int length = 0;
        for (long i = 0; i < total; i++)
        {
            bool value = mask.Get(i);
            if (value != current)
            {
                runs.Add(length);
                current = value;
                length = 0;
            }

            length++;
        }

        runs.Add(length);
        return [.. runs];
    }
}

/// <summary>One candidate of a preview.</summary>
internal sealed record PreviewCandidate(double Iou, int[] Runs);
