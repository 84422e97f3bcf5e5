using BenchmarkDotNet.Attributes;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Onnx;

namespace Grounded.Benchmarks;

/// <summary>A warm detect with the fixture Grounding DINO on cat.png (tests/fixtures), 2 intra-op threads.</summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private GroundingDinoDetector _detector = null!;
    private RgbImage _image = null!;

    [GlobalSetup]
    public void Setup()
    {
        string fixtures = SyntheticImages.Find("tests", "fixtures");
        _detector = GroundingDinoDetector.Create(Path.Combine(fixtures, "gdino"), new DetectorOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 } });
        _image = ImageLoader.Load(Path.Combine(fixtures, "images", "cat.png"));
    }

    [GlobalCleanup]
    public void Cleanup() => _detector.Dispose();

    [Benchmark]
    public DetectionResult Fixture_detect_cat() => _detector.DetectAsync(_image, DetectionRequest.For("a cat. a remote control.")).GetAwaiter().GetResult();
}
