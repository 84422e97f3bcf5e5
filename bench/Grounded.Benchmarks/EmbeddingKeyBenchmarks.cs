using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Grounded.Imaging;
using Grounded.Segmenter;

namespace Grounded.Benchmarks;

/// <summary>The embedding cache's content key of a 1920×1080 image, against the SHA-256 it replaced.</summary>
[MemoryDiagnoser]
public class EmbeddingKeyBenchmarks
{
    private readonly RgbImage _image = SyntheticImages.FullHd();

    [Benchmark(Baseline = true)]
    public byte[] Sha256() => SHA256.HashData(_image.Pixels);

    [Benchmark]
    public string XxHash128Key() => EmbeddingCache.KeyOf(_image);
}
