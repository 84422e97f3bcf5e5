namespace Grounded.Masks;

/// <summary>
/// Outer boundaries of a mask's connected regions as polygons (Moore-neighbour tracing, 8-connectivity), the shape
/// cv2.findContours(RETR_EXTERNAL) gives, for label formats that store polygons (YOLO segmentation).
/// </summary>
public static class MaskContours
{
    // Clockwise neighbour offsets starting west: W, NW, N, NE, E, SE, S, SW.
    private static readonly int[] Dx = [-1, -1, 0, 1, 1, 1, 0, -1];
    private static readonly int[] Dy = [0, -1, -1, -1, 0, 1, 1, 1];

    /// <summary>
    /// One polygon per connected region of at least <paramref name="minArea"/> pixels, largest first, each simplified
    /// with Douglas–Peucker at <paramref name="tolerance"/> pixels. Points are boundary pixel coordinates.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(int X, int Y)>> Trace(BinaryMask mask, int minArea = 1, double tolerance = 1.0)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int w = mask.Width, h = mask.Height;
        var labels = new int[w * h];
        var regions = new List<(int Area, List<(int X, int Y)> Polygon)>();
        int next = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                if (!mask.Get(i) || labels[i] != 0)
                {
                    continue;
                }

                // The first pixel met in raster order is the region's top-left boundary pixel.
                int area = Fill(mask, labels, x, y, ++next);
                if (area >= minArea)
                {
                    var boundary = TraceFrom(mask, x, y);
                    // The outline is closed: simplify it with the start repeated at the end, then drop the repeat.
                    var simplified = Simplify([.. boundary, boundary[0]], tolerance);
                    if (simplified.Count > 1)
                    {
                        simplified.RemoveAt(simplified.Count - 1);
                    }

                    regions.Add((area, simplified));
                }
            }
        }

        return [.. regions.OrderByDescending(r => r.Area).Select(r => (IReadOnlyList<(int, int)>)r.Polygon)];
    }

    private static int Fill(BinaryMask mask, int[] labels, int x0, int y0, int label)
    {
        int w = mask.Width, h = mask.Height, area = 0;
        var stack = new Stack<int>();
        stack.Push(y0 * w + x0);
        labels[y0 * w + x0] = label;
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            area++;
            int x = i % w, y = i / w;
            for (int k = 0; k < 8; k++)
            {
                int nx = x + Dx[k], ny = y + Dy[k];
                if (nx < 0 || ny < 0 || nx >= w || ny >= h)
                {
                    continue;
                }

                int j = ny * w + nx;
                if (labels[j] == 0 && mask.Get(j))
                {
                    labels[j] = label;
                    stack.Push(j);
                }
            }
        }

        return area;
    }

    private static List<(int X, int Y)> TraceFrom(BinaryMask mask, int startX, int startY)
    {
        var points = new List<(int, int)> { (startX, startY) };
        int x = startX, y = startY;
        int dir = 0; // we arrived moving east into the start pixel, so search begins from the west neighbour
        int guard = 4 * mask.Width * mask.Height + 8;
        while (guard-- > 0)
        {
            bool found = false;
            for (int k = 0; k < 8; k++)
            {
                int d = (dir + k) % 8;
                int nx = x + Dx[d], ny = y + Dy[d];
                if (nx >= 0 && ny >= 0 && nx < mask.Width && ny < mask.Height && mask[nx, ny])
                {
                    x = nx;
                    y = ny;
                    // Next search starts from the neighbour after the backtrack direction.
                    dir = (d + 5) % 8;
                    found = true;
                    break;
                }
            }

            if (!found || (x == startX && y == startY))
            {
                break;
            }

            points.Add((x, y));
        }

        return points;
    }

    private static List<(int X, int Y)> Simplify(List<(int X, int Y)> points, double tolerance)
    {
        if (points.Count < 4 || tolerance <= 0)
        {
            return points;
        }

        var keep = new bool[points.Count];
        keep[0] = keep[^1] = true;
        var stack = new Stack<(int, int)>();
        stack.Push((0, points.Count - 1));
        while (stack.Count > 0)
        {
            var (a, b) = stack.Pop();
            double max = 0;
            int index = -1;
            for (int i = a + 1; i < b; i++)
            {
                double d = Distance(points[i], points[a], points[b]);
                if (d > max)
                {
                    max = d;
                    index = i;
                }
            }

            if (index >= 0 && max > tolerance)
            {
                keep[index] = true;
                stack.Push((a, index));
                stack.Push((index, b));
            }
        }

        return [.. points.Where((_, i) => keep[i])];
    }

    private static double Distance((int X, int Y) p, (int X, int Y) a, (int X, int Y) b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        double length = Math.Sqrt((dx * dx) + (dy * dy));
        if (length == 0)
        {
            return Math.Sqrt(Math.Pow(p.X - a.X, 2) + Math.Pow(p.Y - a.Y, 2));
        }

        return Math.Abs((dy * p.X) - (dx * p.Y) + (b.X * a.Y) - (b.Y * a.X)) / length;
    }
}
