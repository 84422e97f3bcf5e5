using System.Diagnostics;
using Grounded.Imaging;
using Grounded.Pipeline.Everything;
using Grounded.Segmenter;
using Grounded.Segmenter.Layouts;
using Grounded.Segmenter.Processing;
using Microsoft.ML.OnnxRuntime;

namespace Grounded.Benchmarks.Table;

/// <summary>
/// Segment-everything at the reference's defaults (32×32 points, IoU 0.88, stability 0.95) beside the raw floor the
/// issue names: one original decoder call per grid point, one after another, every output fetched.
/// </summary>
internal static class EverythingRows
{
    public static Task<TableRow> MobileSamAsync() =>
        RunAsync("segment-everything 32×32, MobileSAM (real size), 1920×1080", ModelRows.MobileSam, SyntheticImages.FullHd());

    public static Task<TableRow> FixtureAsync() =>
        RunAsync("segment-everything 32×32, fixture SAM (segment-anything layout), cat.png", Path.Combine(ModelRows.Fixtures, "sam-official"),
            ImageLoader.Load(Path.Combine(ModelRows.Fixtures, "images", "cat.png")));

    private static async Task<TableRow> RunAsync(string what, string folder, RgbImage image)
    {
        // As `grounded everything` runs it: the sessions made before the clock starts, then one image (its one encode,
        // and the decoder's specialisation on first use, are in the figure). A 4×4 run on the tiny fixture model
        // first compiles the managed code, so the figure is not the JIT's.
        using (var warm = SamSegmenter.Create(Path.Combine(ModelRows.Fixtures, "sam-official"), new SegmenterOptions { Runtime = ModelRows.Cpu, EmbeddingCacheCapacity = 0 }))
        {
            await new AutomaticMaskGenerator(warm, EverythingOptions.Default with { PointsPerSide = 4 }).GenerateAsync(SyntheticImages.Make(320, 240));
        }

        using var segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = ModelRows.Cpu, EmbeddingCacheCapacity = 0 });
        var clock = Stopwatch.StartNew();
        var masks = await new AutomaticMaskGenerator(segmenter, EverythingOptions.Default).GenerateAsync(image);
        double grounded = clock.Elapsed.TotalMilliseconds;
        long peak = PeakRss.Megabytes();

        var embedding = await segmenter.EncodeAsync(image);
        string kind = segmenter.Backend is OfficialSamBackend official
            ? official.LowResolutionDecoderKind + (official.LowResolutionSharesImageTokens ? ", image tokens shared" : string.Empty)
                + (official.LowResolutionDecodesIouFirst ? ", masks only for prompts above the IoU minimum" : string.Empty)
            : "Hugging Face layout";
        double floor = RawSequentialCalls(Path.Combine(folder, "decoder.onnx"), embedding, 32);
        return new TableRow(what, grounded, floor, peak, $"1,024 calls one after another; {masks.Count} masks, decoder {kind}");
    }

    /// <summary>One original decoder call per point of a side×side grid, at the image's size, all outputs fetched.</summary>
    private static double RawSequentialCalls(string decoder, ImageEmbedding embedding, int side)
    {
        using var options = Onnx.OnnxSessionFactory.CreateSessionOptions(ModelRows.Cpu);
        using var session = new InferenceSession(decoder, options);
        int channels = (int)embedding.Embeddings.Shape[1];
        using var embeddings = OrtValue.CreateTensorValueFromMemory(embedding.Embeddings.Data, [1, channels, 64, 64]);
        using var mask = OrtValue.CreateTensorValueFromMemory(new float[256 * 256], [1, 1, 256, 256]);
        using var hasMask = OrtValue.CreateTensorValueFromMemory(new float[] { 0 }, [1]);
        using var size = OrtValue.CreateTensorValueFromMemory(new float[] { embedding.OriginalHeight, embedding.OriginalWidth }, [2]);
        string[] outputs = [.. session.OutputNames];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < side * side; i++)
        {
            float x = (i % side + 0.5f) * embedding.OriginalWidth / side, y = (i / side + 0.5f) * embedding.OriginalHeight / side;
            using var coords = OrtValue.CreateTensorValueFromMemory(new[] { PromptTransform.X(x, embedding), PromptTransform.Y(y, embedding), 0f, 0f }, [1, 2, 2]);
            using var labels = OrtValue.CreateTensorValueFromMemory(new[] { 1f, -1f }, [1, 2]);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"], [embeddings, coords, labels, mask, hasMask, size], outputs);
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
