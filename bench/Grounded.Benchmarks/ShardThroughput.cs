using System.Diagnostics;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Benchmarks;

/// <summary>
/// `profile-shards [N]`: images per second of a folder run over N (default 40) different 1280×720 images with the
/// fixture Grounding DINO and the real-size MobileSAM (../shared/bench-models), as separate `grounded` processes:
/// one process with 2 threads, one with 1 thread per model, one shard process (--shard 0/1) with 2 threads, and two shard processes (0/2, 1/2)
/// with 1 thread each, at once into one folder: the same total threads. Build the CLI in Release first.
/// GROUNDED_BENCH_BOX_THRESHOLD (default 0.8) sets how many boxes each image keeps.
/// </summary>
internal static class ShardThroughput
{
    public static async Task RunAsync(int count)
    {
        string fixtures = SyntheticImages.Find("tests", "fixtures");
        string mobileSam = SyntheticImages.Find("..", "shared", "bench-models", "mobilesam-random");
        string cli = Path.GetFullPath(Path.Combine(fixtures, "..", "..", "src", "Grounded.Cli", "bin", "Release", "net10.0", "grounded.dll"));
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException($"Build the CLI first: dotnet build src/Grounded.Cli -c Release ({cli} is missing).");
        }

        string threshold = Environment.GetEnvironmentVariable("GROUNDED_BENCH_BOX_THRESHOLD") ?? "0.8";
        string dir = Directory.CreateTempSubdirectory("grounded-shards-").FullName;
        try
        {
            string manifest = WriteImages(dir, count);
            string[] common = ["segment", manifest, "cat . person", "--detector", Path.Combine(fixtures, "gdino"), "--segmenter", mobileSam,
                "--device", "cpu", "--box-threshold", threshold, "--format", "json,coco", "--parallel", "2"];
            Console.WriteLine($"{count} images 1280x720, fixture Grounding DINO + MobileSAM (real size), box threshold {threshold}, {Environment.ProcessorCount} cores");
            await Measure("1 process, 2 threads", count, [[.. common, "--out", Path.Combine(dir, "a"), "--threads", "2"]], cli);
            await Measure("1 process, 1 thread per model", count, [[.. common, "--out", Path.Combine(dir, "d"), "--threads", "1"]], cli);
            await Measure("1 shard process (0/1), 2 threads", count, [[.. common, "--out", Path.Combine(dir, "b"), "--threads", "2", "--shard", "0/1"]], cli);
            await Measure("2 shard processes (0/2, 1/2), 1 thread each", count,
                [[.. common, "--out", Path.Combine(dir, "c"), "--threads", "1", "--shard", "0/2"], [.. common, "--out", Path.Combine(dir, "c"), "--threads", "1", "--shard", "1/2"]], cli);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static async Task Measure(string name, int count, string[][] runs, string cli)
    {
        var clock = Stopwatch.StartNew();
        var ends = await Task.WhenAll(runs.Select(args => RunAsync(cli, args)));
        double seconds = clock.Elapsed.TotalSeconds;
        if (ends.Any(e => e.Code != 0))
        {
            throw new InvalidOperationException($"{name}: {string.Join("; ", ends.Select(e => e.Err.Trim()))}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} {seconds,7:0.0} s  {count / seconds,6:0.000} images/s  peak RSS {ends.Max(e => e.PeakMb),5} MB per process"));
    }

    private static async Task<(int Code, string Err, long PeakMb)> RunAsync(string cli, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            catch (InvalidOperationException)
            {
                break;
            }

            await Task.Delay(200);
        }

        await process.WaitForExitAsync();
        await stdout;
        return (process.ExitCode, await stderr, peak / 1048576);
    }

    /// <summary>N different images (shifted gradients and a moving block) and a manifest naming them.</summary>
    private static string WriteImages(string dir, int count)
    {
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            using var image = new Image<Rgb24>(1280, 720);
            int shift = i * 37;
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                    {
                        bool block = Math.Abs(x - (200 + shift * 3 % 900)) < 120 && Math.Abs(y - (150 + shift % 400)) < 90;
                        row[x] = block ? new Rgb24(220, (byte)(i * 6), 40) : new Rgb24((byte)((x + shift) % 256), (byte)((y * 2 + shift) % 256), (byte)((x + y) / 8 % 256));
                    }
                }
            });
            string name = $"img{i:000}.png";
            image.SaveAsPng(Path.Combine(dir, name));
            lines.Add(name);
        }

        string manifest = Path.Combine(dir, "images.txt");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }
}
