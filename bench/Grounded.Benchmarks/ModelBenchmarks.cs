using BenchmarkDotNet.Attributes;
using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Onnx;
using Grounded.Segmenter;

namespace Grounded.Benchmarks;

/// <summary>
/// End-to-end SAM on the real-size MobileSAM with random weights (../shared/bench-models): encoder, and one box
/// decoded to a 1920×1080 mask, 2 intra-op threads as in the bench-models README.
/// </summary>
public class ModelBenchmarks
{
    private SamSegmenter _segmenter = null!;
    private RgbImage _image = null!;
    private ImageEmbedding _embedding = null!;

    [GlobalSetup]
    public void Setup()
    {
        _segmenter = SamSegmenter.Create(SyntheticImages.Find("shared", "bench-models", "mobilesam-random"), new SegmenterOptions
        {
            Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 },
            EmbeddingCacheCapacity = 0,
        });
        _image = SyntheticImages.FullHd();
        _embedding = _segmenter.EncodeAsync(_image).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _segmenter.Dispose();

    [Benchmark]
    public ImageEmbedding MobileSam_encode_1920x1080() => _segmenter.EncodeAsync(_image).GetAwaiter().GetResult();

    [Benchmark]
    public SegmentationResult MobileSam_decode_one_box() =>
        _segmenter.SegmentAsync(_embedding, new SegmentationRequest { Prompts = [SamPrompt.FromBox(new BoxXyxy(400, 200, 1500, 900))] }).GetAwaiter().GetResult();
}
