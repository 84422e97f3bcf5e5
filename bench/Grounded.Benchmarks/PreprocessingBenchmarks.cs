using BenchmarkDotNet.Attributes;
using Grounded.Detector.Processing;
using Grounded.Imaging;
using Grounded.Segmenter.Processing;

namespace Grounded.Benchmarks;

/// <summary>Image pre-processing of a 1920×1080 photo for SAM (1024 longest side, padded) and Grounding DINO (800 shortest side).</summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private RgbImage _image = null!;

    [GlobalSetup]
    public void Setup() => _image = SyntheticImages.FullHd();

    [Benchmark]
    public RgbImage PilBilinear_1920x1080_to_1024x576() => PilBilinear.Resize(_image, 1024, 576);

    [Benchmark]
    public float[] Sam_resize_and_normalize() => SamPreprocessing.FromDefaults().ToTensor(SamPreprocessing.FromDefaults().Resize(_image));

    [Benchmark]
    public float[] GroundingDino_resize_and_normalize() => DinoPreprocessing.HuggingFaceDefaults.Process(_image).Tensor;
}
