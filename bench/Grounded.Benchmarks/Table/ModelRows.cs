using Grounded.Detector;
using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Segmenter.Layouts;
using Grounded.Segmenter.Processing;
using Microsoft.ML.OnnxRuntime;

namespace Grounded.Benchmarks.Table;

/// <summary>Warm single calls: Grounded's public call beside ONNX Runtime running the same feeds on its own session.</summary>
internal static class ModelRows
{
    public static readonly RuntimeOptions Cpu = new() { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 };

    public static string MobileSam => SyntheticImages.Find("..", "shared", "bench-models", "mobilesam-random");

    public static string Fixtures => SyntheticImages.Find("tests", "fixtures");

    public static TableRow Encode()
    {
        using var segmenter = SamSegmenter.Create(MobileSam, new SegmenterOptions { Runtime = Cpu, EmbeddingCacheCapacity = 0 });
        var image = SyntheticImages.FullHd();
        // A second encode starts making the batched decoder in the background (about a second of both cores):
        // warm means after it, so the measured encodes do not share the cores with it.
        segmenter.EncodeAsync(image).GetAwaiter().GetResult();
        segmenter.EncodeAsync(image).GetAwaiter().GetResult();
        ((OfficialSamBackend)segmenter.Backend).MakingLowResolutionDecoder.GetAwaiter().GetResult();
        var input = SamPreprocessing.Official.ToTensor(SamPreprocessing.Official.Resize(image));
        using var raw = Raw(Path.Combine(MobileSam, "encoder.onnx"), new() { ["image"] = (input, [1, 3, 1024, 1024]) });
        var (grounded, floor, outside) = InTurns(2, 7, () => segmenter.OnnxRunTime, () => segmenter.EncodeAsync(image).GetAwaiter().GetResult(), raw.Run);
        return new TableRow("MobileSAM encode 1920×1080, warm (median of 7)", grounded, floor, PeakRss.Megabytes(), $"Grounded outside ONNX Runtime: {outside:0} ms");
    }

    public static async Task<TableRow> DecodeAsync()
    {
        using var segmenter = SamSegmenter.Create(MobileSam, new SegmenterOptions { Runtime = Cpu, EmbeddingCacheCapacity = 0 });
        var embedding = await segmenter.EncodeAsync(SyntheticImages.FullHd());
        var prompt = SamPrompt.FromBox(new BoxXyxy(400, 200, 1500, 900));
        var request = new SegmentationRequest { Prompts = [prompt], Options = new SegmentOptions { Multimask = false } };
        var (coords, labels) = Segmenter.Layouts.OfficialSamBackend.BuildPoints(embedding, prompt);
        using var raw = Raw(Path.Combine(MobileSam, "decoder.onnx"), new()
        {
            ["image_embeddings"] = (embedding.Embeddings.Data, embedding.Embeddings.Shape),
            ["point_coords"] = (coords.Data, coords.Shape),
            ["point_labels"] = (labels.Data, labels.Shape),
            ["mask_input"] = (new float[256 * 256], [1, 1, 256, 256]),
            ["has_mask_input"] = ([0f], [1]),
            ["orig_im_size"] = ([1080f, 1920f], [2]),
        });
        var (grounded, floor, outside) = InTurns(3, 15, () => segmenter.OnnxRunTime, () => segmenter.SegmentAsync(embedding, request).GetAwaiter().GetResult(), raw.Run);
        // Outside includes making the 1080p mask from the low-resolution logits, which the raw call does in its graph.
        return new TableRow("MobileSAM decode one box at 1920×1080, warm (median of 15)", grounded, floor, PeakRss.Megabytes(), $"Grounded outside ONNX Runtime: {outside:0.0} ms");
    }

    /// <summary>
    /// 40 boxes of one 1280×720 image (a folder run's detections): Grounded's one SegmentAsync beside 40 raw calls of the
    /// exported decoder one after another (the extra column: two raw calls in flight, as the export allows).
    /// </summary>
    public static async Task<TableRow> BoxesAsync()
    {
        const int Count = 40;
        using var segmenter = SamSegmenter.Create(MobileSam, new SegmenterOptions { Runtime = Cpu, EmbeddingCacheCapacity = 0 });
        // A second image, as in a folder run, makes the batched decoder; the row measures the run's steady state.
        await segmenter.EncodeAsync(SyntheticImages.Make(1279, 720));
        var embedding = await segmenter.EncodeAsync(SyntheticImages.Make(1280, 720));
        await ((Segmenter.Layouts.OfficialSamBackend)segmenter.Backend).MakingLowResolutionDecoder;
        var prompts = Enumerable.Range(0, Count).Select(i => SamPrompt.FromBox(new BoxXyxy(10 + (i * 29), 5 + (i * 13 % 400), 200 + (i * 26), 250 + (i * 11)))).ToList();
        var request = new SegmentationRequest { Prompts = prompts, Options = new SegmentOptions { Multimask = false } };
        double grounded = SideBySide.Median(1, 5, () => segmenter.SegmentAsync(embedding, request).GetAwaiter().GetResult());

        // One session, each prompt's feeds bound once.
        using var options = OnnxSessionFactory.CreateSessionOptions(Cpu);
        using var session = new InferenceSession(Path.Combine(MobileSam, "decoder.onnx"), options);
        string[] names = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"];
        var feeds = prompts.Select(prompt =>
        {
            var (coords, labels) = Segmenter.Layouts.OfficialSamBackend.BuildPoints(embedding, prompt);
            return new[]
            {
                OrtValue.CreateTensorValueFromMemory(embedding.Embeddings.Data, embedding.Embeddings.Shape),
                OrtValue.CreateTensorValueFromMemory(coords.Data, coords.Shape),
                OrtValue.CreateTensorValueFromMemory(labels.Data, labels.Shape),
                OrtValue.CreateTensorValueFromMemory(new float[256 * 256], [1, 1, 256, 256]),
                OrtValue.CreateTensorValueFromMemory(new[] { 0f }, [1]),
                OrtValue.CreateTensorValueFromMemory(new[] { 720f, 1280f }, [2]),
            };
        }).ToList();
        try
        {
            void Call(OrtValue[] values)
            {
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, names, values, session.OutputNames);
            }

            double floor = SideBySide.Median(1, 3, () => feeds.ForEach(Call));
            double twoInFlight = SideBySide.Median(1, 3, () => Parallel.ForEach(feeds, new ParallelOptions { MaxDegreeOfParallelism = 2 }, Call));
            return new TableRow($"MobileSAM {Count} boxes at 1280×720, warm (median of 5; raw: {Count} calls one after another)", grounded, floor, PeakRss.Megabytes(),
                FormattableString.Invariant($"raw with two calls in flight: {twoInFlight:0} ms"));
        }
        finally
        {
            feeds.ForEach(values => Array.ForEach(values, v => v.Dispose()));
        }
    }

    public static async Task<TableRow> DetectAsync()
    {
        string folder = Path.Combine(Fixtures, "gdino");
        using var detector = GroundingDinoDetector.Create(folder, new DetectorOptions { Runtime = Cpu });
        var image = ImageLoader.Load(Path.Combine(Fixtures, "images", "cat.png"));
        var request = DetectionRequest.For("a cat. a remote control.");
        // The same feeds Grounded builds, made once: the floor is ONNX Runtime's run alone.
        var caption = detector.Tokenize(request, out _);
        var (floats, longs) = detector.BuildInputs([detector.Preprocess(image)], caption);
        var feeds = floats.ToDictionary(kv => kv.Key, kv => (Array)kv.Value.Data, StringComparer.Ordinal);
        var shapes = floats.ToDictionary(kv => kv.Key, kv => kv.Value.Shape, StringComparer.Ordinal);
        foreach (var (name, tensor) in longs)
        {
            feeds[name] = tensor.Data;
            shapes[name] = tensor.Shape;
        }

        using var raw = new RawSession(Path.Combine(folder, "model.onnx"), feeds, shapes);
        var (grounded, floor, outside) = InTurns(3, 15, () => detector.OnnxRunTime, () => detector.DetectAsync(image, request).GetAwaiter().GetResult(), raw.Run);
        await Task.CompletedTask;
        return new TableRow("fixture Grounding DINO detect on cat.png, warm (median of 15)", grounded, floor, PeakRss.Megabytes(), $"Grounded outside ONNX Runtime: {outside:0} ms");
    }

    /// <summary>A click on cat.png with the fixture SAM (Hugging Face layout): encode and decode, no embedding cache.</summary>
    public static async Task<TableRow> ClickAsync()
    {
        string folder = Path.Combine(Fixtures, "sam");
        using var segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = Cpu, EmbeddingCacheCapacity = 0 });
        var image = ImageLoader.Load(Path.Combine(Fixtures, "images", "cat.png"));
        var request = new SegmentationRequest { Prompts = [SamPrompt.FromPoints(new PromptPoint(200, 150))], Options = new SegmentOptions { Multimask = true } };
        var preprocessing = SamPreprocessing.FromHuggingFaceConfig(Path.Combine(folder, "preprocessor_config.json"));
        var pixels = new float[3 * preprocessing.PadSize * preprocessing.PadSize];
        preprocessing.ResizeToTensor(image, pixels);
        var embedding = await segmenter.EncodeAsync(image);
        var (points, labels) = Segmenter.Layouts.HuggingFaceSamBackend.BuildPoints(embedding, request.Prompts);
        using var encoder = Raw(Path.Combine(folder, "vision_encoder.onnx"), new() { ["pixel_values"] = (pixels, [1, 3, preprocessing.PadSize, preprocessing.PadSize]) });
        using var decoder = new RawSession(Path.Combine(folder, "prompt_encoder_mask_decoder.onnx"),
            new() { ["image_embeddings"] = embedding.Embeddings.Data, ["image_positional_embeddings"] = embedding.PositionalEmbeddings!.Data, ["input_points"] = points.Data, ["input_labels"] = labels.Data },
            new() { ["image_embeddings"] = embedding.Embeddings.Shape, ["image_positional_embeddings"] = embedding.PositionalEmbeddings.Shape, ["input_points"] = points.Shape, ["input_labels"] = labels.Shape });
        var (grounded, floor, outside) = InTurns(3, 15, () => segmenter.OnnxRunTime, () => segmenter.SegmentAsync(image, request).GetAwaiter().GetResult(), () =>
        {
            encoder.Run();
            decoder.Run();
        });
        return new TableRow("fixture SAM click on cat.png: encode + decode, warm (median of 15)", grounded, floor, PeakRss.Megabytes(), $"Grounded outside ONNX Runtime: {outside:0} ms");
    }

    /// <summary>
    /// Grounded's call and the raw floor, warmed up alike and then timed in turns (Grounded, raw, Grounded, …), so a
    /// change in the machine's load or a late warm-up falls on both: the median of each, and the median of Grounded's
    /// time outside ONNX Runtime (a call's wall time less what <paramref name="onnxTime"/> grew by).
    /// </summary>
    private static (double Grounded, double Raw, double Outside) InTurns(int warmUp, int runs, Func<TimeSpan> onnxTime, Action grounded, Action raw)
    {
        for (int i = 0; i < warmUp; i++)
        {
            grounded();
            raw();
        }

        var ours = new double[runs];
        var floor = new double[runs];
        var outside = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var before = onnxTime();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            grounded();
            ours[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            outside[i] = ours[i] - (onnxTime() - before).TotalMilliseconds;
            start = System.Diagnostics.Stopwatch.GetTimestamp();
            raw();
            floor[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return (Median(ours), Median(floor), Median(outside));
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static RawSession Raw(string model, Dictionary<string, (float[] Data, long[] Shape)> feeds) =>
        new(model, feeds.ToDictionary(kv => kv.Key, kv => (Array)kv.Value.Data, StringComparer.Ordinal), feeds.ToDictionary(kv => kv.Key, kv => kv.Value.Shape, StringComparer.Ordinal));
}

/// <summary>An ONNX Runtime session with Grounded's session options and its feeds made once: the floor of a call.</summary>
internal sealed class RawSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly List<string> _names;
    private readonly List<OrtValue> _values;
    private readonly string[] _outputs;

    public RawSession(string model, Dictionary<string, Array> feeds, Dictionary<string, long[]> shapes)
    {
        using var options = OnnxSessionFactory.CreateSessionOptions(ModelRows.Cpu);
        _session = new InferenceSession(model, options);
        _names = [.. feeds.Keys];
        _values = [.. feeds.Select(kv => Value(_session.InputMetadata[kv.Key].ElementDataType, kv.Value, shapes[kv.Key]))];
        _outputs = [.. _session.OutputNames];
    }

    public void Run()
    {
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, _names, _values, _outputs);
    }

    private static OrtValue Value(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType type, Array data, long[] shape) => (type, data) switch
    {
        (_, float[] f) => OrtValue.CreateTensorValueFromMemory(f, shape),
        (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Bool, long[] l) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(l, v => v != 0), shape),
        (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32, long[] l) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(l, v => (int)v), shape),
        (_, long[] l) => OrtValue.CreateTensorValueFromMemory(l, shape),
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    public void Dispose()
    {
        foreach (var value in _values)
        {
            value.Dispose();
        }

        _session.Dispose();
    }
}

/// <summary>The process's peak resident set (VmHWM), in MB; 0 where /proc is missing.</summary>
internal static class PeakRss
{
    public static long Megabytes()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
