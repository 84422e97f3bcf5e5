using System.Diagnostics;
using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Pipeline.Everything;

namespace Grounded.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- profile-amg`: segment-everything time per image and the share spent outside ONNX
/// Runtime, for the tiny fixture models (both layouts) and the real-size MobileSAM with random weights.
/// </summary>
public static class AmgProfile
{
    public static void Run()
    {
        var cpu = new RuntimeOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 };
        var cat = Imaging.ImageLoader.Load(SyntheticImages.Find("tests", "fixtures", "images", "cat.png"));
        var hd = SyntheticImages.FullHd();
        Measure("fixture sam-official (segment-anything layout), cat 450x300", SyntheticImages.Find("tests", "fixtures", "sam-official"), cat, 32, cpu);
        Measure("fixture sam (Hugging Face layout), cat 450x300", SyntheticImages.Find("tests", "fixtures", "sam"), cat, 32, cpu);
        Measure("MobileSAM random weights (real size), 1920x1080", SyntheticImages.Find("shared", "bench-models", "mobilesam-random"), hd, 8, cpu);
    }

    private static void Measure(string name, string folder, Imaging.RgbImage image, int pointsPerSide, RuntimeOptions runtime)
    {
        using var segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = runtime, EmbeddingCacheCapacity = 0 });
        // Thresholds at 0 keep every candidate, so post-processing does its full share of work.
        var generator = new AutomaticMaskGenerator(segmenter, new EverythingOptions { PointsPerSide = pointsPerSide, PredIouThresh = 0, StabilityScoreThresh = 0, BoxNmsThresh = 0.7f });
        generator.GenerateAsync(image).GetAwaiter().GetResult(); // warm-up
        var onnxBefore = segmenter.OnnxRunTime;
        var sw = Stopwatch.StartNew();
        var masks = generator.GenerateAsync(image).GetAwaiter().GetResult();
        sw.Stop();
        var onnx = segmenter.OnnxRunTime - onnxBefore;
        // Decoder calls overlap post-processing and each other, so ONNX Runtime's summed time can exceed the wall time;
        // the share outside it is then bounded by the overlap rather than measurable this way.
        string share = onnx < sw.Elapsed ? FormattableString.Invariant($"{1 - (onnx.TotalMilliseconds / sw.Elapsed.TotalMilliseconds):P0} outside ORT") : "ORT calls overlap; post-processing hidden behind them";
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: {pointsPerSide * pointsPerSide} prompts, {masks.Count} masks, {sw.Elapsed.TotalMilliseconds:0} ms per image, ONNX Runtime {onnx.TotalMilliseconds:0} ms summed over calls, {share}"));
    }
}
