using System.Diagnostics;
using Grounded.Imaging;
using Grounded.Segmenter.Processing;
using Microsoft.ML.OnnxRuntime;

namespace Grounded.Benchmarks.Table;

/// <summary>
/// A cold `grounded segment HD.png --box … --segmenter mobilesam --format json` process beside a minimal process
/// that does the same model work with ONNX Runtime directly (load and resize the image, create both sessions, encode,
/// decode the box): both timed from start to exit, the median of three alternating runs.
/// </summary>
internal static class ColdStart
{
    private const string Box = "400,200,1500,900";

    public static async Task<TableRow> RunAsync()
    {
        string cli = Path.GetFullPath(Path.Combine(ModelRows.Fixtures, "..", "..", "src", "Grounded.Cli", "bin", "Release", "net10.0", "grounded.dll"));
        if (!File.Exists(cli))
        {
            return new TableRow("cold segment", double.NaN, double.NaN, 0, "build the CLI first: dotnet build src/Grounded.Cli -c Release");
        }

        string dir = Directory.CreateTempSubdirectory("grounded-cold-").FullName;
        try
        {
            string image = Path.Combine(dir, "hd.png");
            using (var file = File.Create(image))
            {
                Outputs.ResultImages.WriteImage(file, SyntheticImages.FullHd());
            }

            var grounded = new List<double>();
            var raw = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                grounded.Add(await TimeAsync(cli, "segment", image, "--box", Box, "--segmenter", ModelRows.MobileSam, "--device", "cpu", "--threads", "2",
                    "--format", "json", "--out", Path.Combine(dir, $"out{i}")));
                raw.Add(await TimeAsync(typeof(ColdStart).Assembly.Location, "table-row", "raw-cold", image));
            }

            return new TableRow("cold `grounded segment` 1920×1080 --box, MobileSAM (process start to exit)", Median(grounded), Median(raw), 0,
                "a process creating both sessions, encoding and decoding");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The raw process's work (runs in the child).</summary>
    public static TableRow RawProcess()
    {
        string image = Environment.GetCommandLineArgs()[^1];
        using var options = Onnx.OnnxSessionFactory.CreateSessionOptions(ModelRows.Cpu);
        using var encoder = new InferenceSession(Path.Combine(ModelRows.MobileSam, "encoder.onnx"), options);
        using var decoder = new InferenceSession(Path.Combine(ModelRows.MobileSam, "decoder.onnx"), options);
        var rgb = ImageLoader.Load(image);
        var resized = SamPreprocessing.Official.Resize(rgb);
        using var input = OrtValue.CreateTensorValueFromMemory(SamPreprocessing.Official.ToTensor(resized), [1, 3, 1024, 1024]);
        using var runOptions = new RunOptions();
        using var embedding = encoder.Run(runOptions, ["image"], [input], ["image_embeddings"]);
        float sx = (float)resized.Width / rgb.Width, sy = (float)resized.Height / rgb.Height;
        using var coords = OrtValue.CreateTensorValueFromMemory(new[] { 400 * sx, 200 * sy, 1500 * sx, 900 * sy }, [1, 2, 2]);
        using var labels = OrtValue.CreateTensorValueFromMemory(new[] { 2f, 3f }, [1, 2]);
        using var mask = OrtValue.CreateTensorValueFromMemory(new float[256 * 256], [1, 1, 256, 256]);
        using var hasMask = OrtValue.CreateTensorValueFromMemory(new float[] { 0 }, [1]);
        using var size = OrtValue.CreateTensorValueFromMemory(new float[] { rgb.Height, rgb.Width }, [2]);
        using var masks = decoder.Run(runOptions, ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"],
            [embedding[0], coords, labels, mask, hasMask, size], ["masks", "iou_predictions"]);
        return new TableRow("raw cold", 0, 0, PeakRss.Megabytes(), string.Empty);
    }

    private static async Task<double> TimeAsync(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        double elapsed = clock.Elapsed.TotalMilliseconds;
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(dll)} {string.Join(' ', args)} failed: {(await stderr).Split('\n')[0]}");
        }

        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
