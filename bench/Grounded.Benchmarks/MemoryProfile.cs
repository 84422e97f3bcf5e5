using System.Diagnostics;
using Grounded.Batch;
using Grounded.Outputs;
using Grounded.Recipes;
using Grounded.Segmenter;
using Grounded.Settings;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Benchmarks;

/// <summary>
/// Peak memory of whole runs with the fixture models (tests/fixtures): `profile-memory segment` (a 10000×10000 image,
/// a text prompt that keeps 40 boxes, the default outputs), `profile-memory detect` (the same, boxes only) and
/// `profile-memory everything` (1920×1080, the reference's 32×32 grid). GROUNDED_BENCH_FORMATS=json (any format
/// list) narrows the outputs; GROUNDED_BENCH_TRACE=1 prints the working set over time. Run each in its own
/// process: the figure is the process's peak working set.
/// </summary>
internal static class MemoryProfile
{
    public static async Task RunAsync(string what)
    {
        string fixtures = FindFixtures();
        string dir = Directory.CreateTempSubdirectory("grounded-memory-").FullName;
        try
        {
            bool segment = what is "segment" or "detect";
            int width = segment ? 10000 : 1920, height = segment ? 10000 : 1080;
            string image = Path.Combine(dir, "big.png");
            using (var img = new Image<Rgb24>(width, height))
            {
                // Smooth shapes: small as a PNG, large once decoded (as the 291 KB file).
                img.ProcessPixelRows(rows =>
                {
                    for (int y = 0; y < rows.Height; y++)
                    {
                        var row = rows.GetRowSpan(y);
                        for (int x = 0; x < row.Length; x++)
                        {
                            row[x] = new Rgb24((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x / 500 + y / 500) % 2 * 200));
                        }
                    }
                });
                img.SaveAsPng(image);
            }

            var settings = GroundedSettings.Default with { Output = new OutputOptions { Directory = Path.Combine(dir, "out"), Formats = Environment.GetEnvironmentVariable("GROUNDED_BENCH_FORMATS") is { } f ? SettingNames.Parse<OutputFormats>(f, "formats") : OutputFormats.Default } };
            var recipe = what == "detect"
                ? new Recipe { Settings = settings, Steps = [new DetectRecipeStep("a cat. a person. a remote control. a dog. a car.", settings.Detect with { BoxThreshold = 0.5f, TextThreshold = 0.3f })] }
                : segment
                ? new Recipe
                {
                    Settings = settings,
                    Steps = [new DetectRecipeStep("a cat. a person. a remote control. a dog. a car.", settings.Detect with { BoxThreshold = 0.5f, TextThreshold = 0.3f }), new SegmentRecipeStep(settings.Segment)],
                }
                : new Recipe { Settings = settings, Steps = [new EverythingRecipeStep(EverythingOptions.Default, settings.Segment)] };
            var start = Stopwatch.StartNew();
            var samples = new List<(double Seconds, long Bytes)>();
            using var sampling = new Timer(_ =>
            {
                using var self = Process.GetCurrentProcess();
                lock (samples)
                {
                    samples.Add((start.Elapsed.TotalSeconds, self.WorkingSet64));
                }
            }, null, 0, 250);
            using var built = await RecipeBuilder.BuildAsync(recipe, (value, kind, _) => Task.FromResult<(string, string?)>((Path.Combine(fixtures, kind == "detector" ? "gdino" : "sam"), null)));
            var runner = new BatchRunner(built.Pipeline, new BatchOptions { Output = settings.Output, ImageLoad = new Imaging.ImageLoadOptions { MaxPixels = 200_000_000 } });
            int objects = 0;
            var summary = await runner.RunAsync([image], r => objects = r.Objects.Count);
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(FormattableString.Invariant(
                $"{what}: {width}x{height}, {objects} objects, {summary.Processed} image(s) in {start.Elapsed.TotalSeconds:0.0} s; peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB; managed heap now {GC.GetTotalMemory(false) / 1048576.0:0} MiB"));
            if (Environment.GetEnvironmentVariable("GROUNDED_BENCH_TRACE") == "1")
            {
                lock (samples)
                {
                    Console.WriteLine(string.Join(" ", samples.Where((_, i) => i % 4 == 0).Select(s => FormattableString.Invariant($"{s.Seconds:0}s:{s.Bytes / 1048576}"))));
                }
            }

            foreach (var (path, error) in summary.Failures)
            {
                Console.WriteLine($"failed: {path}: {error}");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string FindFixtures()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
    }
}
