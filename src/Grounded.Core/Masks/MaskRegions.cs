namespace Grounded.Masks;

/// <summary>
/// segment-anything's remove_small_regions: fill background regions (holes) or drop foreground regions (islands)
/// smaller than an area, with 8-connectivity as cv2.connectedComponentsWithStats(…, 8).
/// </summary>
public static class MaskRegions
{
    /// <summary>Fills holes smaller than <paramref name="minArea"/>; returns the mask and whether it changed.</summary>
    public static (BinaryMask Mask, bool Changed) FillSmallHoles(BinaryMask mask, int minArea) => Process(mask, minArea, holes: true);

    /// <summary>Removes islands smaller than <paramref name="minArea"/> (keeping the largest if all are small).</summary>
    public static (BinaryMask Mask, bool Changed) RemoveSmallIslands(BinaryMask mask, int minArea) => Process(mask, minArea, holes: false);

    private static (BinaryMask, bool) Process(BinaryMask mask, int minArea, bool holes)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int w = mask.Width, h = mask.Height, n = w * h;
        // The working mask is the background for holes, the foreground for islands.
        var labels = new int[n];
        var sizes = new List<int> { 0 };
        var stack = new Stack<int>();
        for (int start = 0; start < n; start++)
        {
            if (labels[start] != 0 || mask.Get(start) == holes)
            {
                continue;
            }

            int label = sizes.Count;
            int size = 0;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                size++;
                int x = i % w, y = i / w;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if ((dx | dy) == 0 || nx < 0 || ny < 0 || nx >= w || ny >= h)
                        {
                            continue;
                        }

                        int j = (ny * w) + nx;
                        if (labels[j] == 0 && mask.Get(j) != holes)
                        {
                            labels[j] = label;
                            stack.Push(j);
                        }
                    }
                }
            }

            sizes.Add(size);
        }

        var small = new HashSet<int>(Enumerable.Range(1, sizes.Count - 1).Where(l => sizes[l] < minArea));
        if (small.Count == 0)
        {
            return (mask, false);
        }

        var result = new BinaryMask(w, h);
        if (holes)
        {
            // Keep the mask and fill the small background regions.
            for (int i = 0; i < n; i++)
            {
                result.Set(i, labels[i] == 0 || small.Contains(labels[i]));
            }

            return (result, true);
        }

        var keep = new HashSet<int>(Enumerable.Range(1, sizes.Count - 1).Where(l => !small.Contains(l)));
        if (keep.Count == 0)
        {
            int largest = Enumerable.Range(1, sizes.Count - 1).MaxBy(l => sizes[l]);
            keep.Add(largest);
        }

        for (int i = 0; i < n; i++)
        {
            result.Set(i, labels[i] != 0 && keep.Contains(labels[i]));
        }

        return (result, true);
    }
}
