namespace Grounded.Pipeline.Everything;

/// <summary>The point grids and crop boxes of segment-anything's amg utilities.</summary>
internal static class AmgGeometry
{
    /// <summary>An n × n grid of cell centres in [0, 1], rows of x for each y.</summary>
    public static List<(double X, double Y)> PointGrid(int n)
    {
        double offset = 1.0 / (2 * n);
        // numpy.linspace(offset, 1 - offset, n): i * step + start, the last point exactly the stop.
        var side = new double[n];
        double stop = 1 - offset;
        double step = n > 1 ? (stop - offset) / (n - 1) : 0;
        for (int i = 0; i < n; i++)
        {
            side[i] = (i * step) + offset;
        }

        if (n > 1)
        {
            side[n - 1] = stop;
        }

        var points = new List<(double, double)>(n * n);
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                points.Add((side[x], side[y]));
            }
        }

        return points;
    }

    /// <summary>One grid per crop layer: n / factor^i points per side.</summary>
    public static List<IReadOnlyList<(double X, double Y)>> LayerGrids(int pointsPerSide, int layers, int downscale) =>
        [.. Enumerable.Range(0, layers + 1).Select(i => (IReadOnlyList<(double, double)>)PointGrid((int)(pointsPerSide / Math.Pow(downscale, i))))];

    /// <summary>generate_crop_boxes: the whole image, then 2^(i+1) × 2^(i+1) overlapping crops per layer (x0, y0, x1, y1).</summary>
    public static List<(int[] Box, int Layer)> CropBoxes(int width, int height, int layers, double overlapRatio)
    {
        var boxes = new List<(int[], int)> { ([0, 0, width, height], 0) };
        int shortSide = Math.Min(width, height);
        for (int layer = 0; layer < layers; layer++)
        {
            int perSide = 1 << (layer + 1);
            int overlap = (int)(overlapRatio * shortSide * (2.0 / perSide));
            int cropW = CropLength(width, perSide, overlap), cropH = CropLength(height, perSide, overlap);
            var x0s = Enumerable.Range(0, perSide).Select(i => (cropW - overlap) * i).ToArray();
            var y0s = Enumerable.Range(0, perSide).Select(i => (cropH - overlap) * i).ToArray();
            foreach (int x0 in x0s)
            {
                foreach (int y0 in y0s)
                {
                    boxes.Add(([x0, y0, Math.Min(x0 + cropW, width), Math.Min(y0 + cropH, height)], layer + 1));
                }
            }
        }

        return boxes;
    }

    private static int CropLength(int length, int crops, int overlap) => (int)Math.Ceiling(((double)overlap * (crops - 1) + length) / crops);
}
