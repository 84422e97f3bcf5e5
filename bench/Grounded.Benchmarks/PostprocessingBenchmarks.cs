using BenchmarkDotNet.Attributes;
using Grounded.Detector;
using Grounded.Detector.Processing;
using Grounded.Detector.Text;
using Grounded.Masks;
using Grounded.Segmenter.Processing;

namespace Grounded.Benchmarks;

/// <summary>Mask post-processing to 1920×1080 and Grounding DINO box post-processing (900 queries × 256 tokens).</summary>
[MemoryDiagnoser]
public class PostprocessingBenchmarks
{
    private float[] _lowRes = null!;
    private BinaryMask _mask = null!;
    private float[] _logits = null!;
    private float[] _boxes = null!;
    private GroundingTokenizer _tokenizer = null!;
    private TokenizedCaption _caption = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _lowRes = new float[256 * 256];
        for (int y = 0; y < 256; y++)
        {
            for (int x = 0; x < 256; x++)
            {
                _lowRes[y * 256 + x] = 8f - (MathF.Sqrt(((x - 128) * (x - 128)) + ((y - 80) * (y - 80))) / 6f) + ((float)random.NextDouble() - 0.5f);
            }
        }

        _mask = MaskUpscaler.ToMask(_lowRes, 256, 1024, 1024, 576, 1920, 1080, 0f);
        _tokenizer = GroundingTokenizer.Load(SyntheticImages.Find("tests", "fixtures", "gdino", "vocab.txt"));
        _caption = _tokenizer.Encode("dog . cat . remote control . person .");
        _logits = new float[900 * 256];
        _boxes = new float[900 * 4];
        for (int i = 0; i < _logits.Length; i++)
        {
            _logits[i] = i % 256 < _caption.Length ? ((float)random.NextDouble() * 8f) - 6f : float.NegativeInfinity;
        }

        for (int i = 0; i < _boxes.Length; i++)
        {
            _boxes[i] = 0.1f + ((float)random.NextDouble() * 0.5f);
        }
    }

    [Benchmark]
    public BinaryMask Sam_mask_256_to_1920x1080() => MaskUpscaler.ToMask(_lowRes, 256, 1024, 1024, 576, 1920, 1080, 0f);

    [Benchmark]
    public string Coco_rle_encode_1920x1080() => CocoRle.Encode(_mask).ToCompressedString();

    [Benchmark]
    public int GroundingDino_postprocess_900_queries() =>
        DetectionPostprocessor.Process(_logits, _boxes, 900, 256, _caption, 0.3f, 0.25f, 256, _tokenizer, 1920, 1080).Count;

    [Benchmark]
    public int Tokenize_prompt() => _tokenizer.Encode(Caption.Build("a small brown dog . a person wearing a blue jacket . a wooden table with cups", CaptionMode.Gsa)).Length;
}
