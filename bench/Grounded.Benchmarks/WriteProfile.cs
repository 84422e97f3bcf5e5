using System.Diagnostics;
using Grounded.Geometry;
using Grounded.Masks;
using Grounded.Outputs;
using Grounded.Results;
using Grounded.Settings;

namespace Grounded.Benchmarks;

/// <summary>
/// What writing one image's outputs costs (issue 15's folder run: 1280×720, 40 objects, the default formats:
/// overlay, a mask PNG and a cut-out per object, index, mask.json, results.json), median of several runs.
/// </summary>
internal static class WriteProfile
{
    public static void Run(int objects)
    {
        var image = SyntheticImages.Make(1280, 720);
        var random = new Random(3);
        var found = new List<GroundedObject>();
        for (int k = 0; k < objects; k++)
        {
            // An ellipse of random size and place: a smooth mask, as a real model gives.
            int cx = random.Next(1280), cy = random.Next(720), rx = 20 + random.Next(200), ry = 20 + random.Next(150);
            var mask = new BinaryMask(1280, 720);
            for (int y = Math.Max(0, cy - ry); y < Math.Min(720, cy + ry); y++)
            {
                for (int x = Math.Max(0, cx - rx); x < Math.Min(1280, cx + rx); x++)
                {
                    double dx = (x - cx) / (double)rx, dy = (y - cy) / (double)ry;
                    mask[x, y] = (dx * dx) + (dy * dy) <= 1;
                }
            }

            found.Add(new GroundedObject(k % 2 == 0 ? "cat" : "person", "cat", 0.5f, mask.BoundingBox() ?? new BoxXyxy(0, 0, 1, 1)) { Mask = mask, PredictedIou = 0.9f });
        }

        var result = new ImageResult("bench.png", 1280, 720, found, new Dictionary<string, double>(), []);
        var writer = new ImageOutputWriter(OutputFormats.Default, includeCandidates: false);
        string root = Directory.CreateTempSubdirectory("grounded-write-").FullName;
        var times = new List<double>();
        try
        {
            for (int run = 0; run < 7; run++)
            {
                string folder = Path.Combine(root, run.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var clock = Stopwatch.StartNew();
                writer.Write(folder, image, result);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        string parts = Directory.CreateTempSubdirectory("grounded-write-parts-").FullName;
        void Part(string name, Action action)
        {
            var t = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                var c = Stopwatch.StartNew();
                action();
                t.Add(c.Elapsed.TotalMilliseconds);
            }

            t.Sort();
            Console.WriteLine(FormattableString.Invariant($"  {name,-12} {t[2]:0} ms"));
        }

        Part("overlay", () => ResultImages.SaveOverlay(image, result, Path.Combine(parts, "overlay.png")));
        Part("masks", () => ResultImages.SaveMasks(result, Path.Combine(parts, "masks")));
        Part("cutouts", () => ResultImages.SaveCutouts(image, result, Path.Combine(parts, "cutouts")));
        Part("results", () => { using var f = File.Create(Path.Combine(parts, "results.json")); ResultDocument.WriteIndented(f, result, false); });
        Part("gsa", () => File.WriteAllText(Path.Combine(parts, "mask.json"), GroundedSamMaskJson.ToIndented(found, 1280, 720)));
        Directory.Delete(parts, recursive: true);
        times.Sort();
        Console.WriteLine(FormattableString.Invariant($"write 1280x720, {objects} objects, default formats: median {times[times.Count / 2]:0} ms (min {times[0]:0}, max {times[^1]:0}) on {Environment.ProcessorCount} cores"));
    }
}
