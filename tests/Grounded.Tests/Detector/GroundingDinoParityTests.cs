using System.Text.Json;
using Grounded.Detector;
using Grounded.Detector.Layouts;
using Grounded.Detector.Processing;
using Grounded.Onnx;
using Grounded.Tests.Support;
using static Grounded.Tests.Segmenter.HuggingFaceSamParityTests;

namespace Grounded.Tests.Detector;

/// <summary>Parity with ../fixtures/gdino (transformers' GroundingDinoProcessor and model).</summary>
public sealed class GroundingDinoParityTests(GroundingDinoParityTests.Model model) : IClassFixture<GroundingDinoParityTests.Model>
{
    private readonly GroundingDinoDetector _detector = model.Detector;

    public static TheoryData<string> Cases => new(Directory.GetDirectories(Fixtures.Path("gdino", "cases")).Select(Path.GetFileName).Order()!);

    [Fact]
    public void Folder_is_detected_as_hugging_face_layout_with_the_configured_text_length()
    {
        Assert.Equal(GroundingDinoLayout.HuggingFace, _detector.Layout);
        Assert.Equal(256, _detector.MaxTextLength);
    }

    [Theory]
    [InlineData(300, 450, 800, 1200)]
    [InlineData(200, 320, 800, 1280)]
    [InlineData(512, 400, 1024, 800)]
    [InlineData(100, 1000, 133, 1333)]
    [InlineData(1000, 100, 1333, 133)]
    [InlineData(800, 600, 1066, 800)]
    [InlineData(800, 1000, 800, 1000)]
    [InlineData(479, 1280, 499, 1333)]
    public void Resize_rule_follows_transformers(int h, int w, int expectedH, int expectedW)
    {
        // Shortest edge 800 unless the longest would pass 1333, then the long side from the unrounded size.
        var (rw, rh) = DinoPreprocessing.HuggingFaceDefaults.ResizedSize(w, h);

        Assert.Equal((expectedW, expectedH), (rw, rh));
    }

    [Theory]
    [InlineData(100, 1000, 133, 1330)]
    [InlineData(479, 1280, 499, 1333)]
    public void Resize_rule_follows_idea_for_idea_models(int h, int w, int expectedH, int expectedW) =>
        Assert.Equal((expectedW, expectedH), DinoPreprocessing.Idea.ResizedSize(w, h));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logits_and_boxes_from_the_fixture_pixels_match_within_1e4(string caseId)
    {
        var c = Case(caseId);
        var image = Fixtures.Image(ImageName(c));
        var pixels = DinoPreprocessing.HuggingFaceDefaults.Process(image);
        Assert.Equal(c.GetProperty("pixel_values_sha256_float32_le").GetString(), Fixtures.Sha256(pixels.Tensor)); // bit-identical input
        var caption = _detector.Tokenize(Request(c), out _);
        var (floats, longs) = _detector.BuildInputs([pixels], caption);

        using var raw = OnnxModel.Open(Fixtures.Path("gdino", "model.onnx"), new RuntimeOptions { Device = ExecutionDevice.Cpu });
        var outputs = raw.Run(floats, longs, ["logits", "pred_boxes"]);

        float[] expectedLogits = Fixtures.Floats("gdino", "cases", caseId, "logits.bin");
        float[] actual = outputs["logits"].Data;
        Assert.Equal(expectedLogits.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            if (float.IsNegativeInfinity(expectedLogits[i]))
            {
                Assert.True(float.IsNegativeInfinity(actual[i]));
            }
            else
            {
                Assert.True(Math.Abs(expectedLogits[i] - actual[i]) <= 1e-4f, $"logit {i}: {expectedLogits[i]} vs {actual[i]}"); // abs 1e-4
            }
        }

        AssertClose(Fixtures.Floats("gdino", "cases", caseId, "pred_boxes.bin"), outputs["pred_boxes"].Data, 1e-4f);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_processed_detections_equal_the_processor(string caseId)
    {
        var c = Case(caseId);
        var expected = c.GetProperty("postprocess").GetProperty("result");

        var result = await _detector.DetectAsync(Fixtures.Image(ImageName(c)), Request(c));

        float[] scores = Fixtures.FloatArray(expected.GetProperty("scores"));
        float[] boxes = Fixtures.FloatArray(expected.GetProperty("boxes"));
        string[] labels = [.. expected.GetProperty("text_labels").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(scores.Length, result.Detections.Count);
        Assert.Equal(c.GetProperty("postprocess").GetProperty("kept_query_indices").EnumerateArray().Select(e => e.GetInt32()), result.Detections.Select(d => d.QueryIndex!.Value));
        for (int i = 0; i < scores.Length; i++)
        {
            var d = result.Detections[i];
            Assert.Equal(scores[i], d.Score, 1e-4f); // score: abs 1e-4
            Assert.Equal(boxes[i * 4], d.Box.X0, 0.5f); // box: 0.5 px
            Assert.Equal(boxes[i * 4 + 1], d.Box.Y0, 0.5f);
            Assert.Equal(boxes[i * 4 + 2], d.Box.X1, 0.5f);
            Assert.Equal(boxes[i * 4 + 3], d.Box.Y1, 0.5f);
            Assert.Equal(labels[i], d.Phrase); // phrase: identical to the reference's label
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_label_is_one_of_the_users_classes(string caseId)
    {
        var c = Case(caseId);
        var classes = Grounded.Detector.Text.Caption.Classes(c.GetProperty("prompt").GetString()!);

        var result = await _detector.DetectAsync(Fixtures.Image(ImageName(c)), Request(c));

        Assert.All(result.Detections, d => Assert.Contains(d.Label, classes));
        Assert.All(result.Detections, d => Assert.DoesNotContain("##", d.Label, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_of_images_of_different_sizes_gives_each_its_own_results()
    {
        var c = Case("cat__p1");
        var images = new[] { Fixtures.Image("cat"), Fixtures.Image("synthetic") };

        var batched = await _detector.DetectBatchAsync(images, Request(c));

        Assert.Equal(2, batched.Count);
        Assert.Equal((450, 300), (batched[0].Width, batched[0].Height));
        Assert.Equal((320, 200), (batched[1].Width, batched[1].Height));
        Assert.All(batched[1].Detections, d => Assert.InRange(d.Box.X0, -100, 420));
    }

    [Fact]
    public async Task No_detection_is_an_empty_result()
    {
        var result = await _detector.DetectAsync(Fixtures.Image("cat"), new DetectionRequest { Prompt = "bear.", Options = new DetectOptions { BoxThreshold = 0.9999f, CaptionMode = CaptionMode.Raw } });

        Assert.Empty(result.Detections);
    }

    [Fact]
    public async Task Class_agnostic_nms_removes_overlapping_boxes()
    {
        var request = Request(Case("cat__long")) is var r ? r with { Options = r.Options with { BoxThreshold = 0.5f, Nms = NmsMode.ClassAgnostic, NmsIou = 0.3f } } : null!;
        var plain = await _detector.DetectAsync(Fixtures.Image("cat"), request with { Options = request.Options with { Nms = NmsMode.None } });

        var suppressed = await _detector.DetectAsync(Fixtures.Image("cat"), request);

        Assert.True(suppressed.Detections.Count < plain.Detections.Count);
        for (int i = 0; i < suppressed.Detections.Count; i++)
        {
            for (int j = i + 1; j < suppressed.Detections.Count; j++)
            {
                Assert.True(suppressed.Detections[i].Box.IoU(suppressed.Detections[j].Box) <= 0.3f);
            }
        }
    }

    private static JsonElement Case(string caseId) => Fixtures.Json("gdino", "cases", caseId, "case.json");

    private static DetectionRequest Request(JsonElement c)
    {
        var p = c.GetProperty("postprocess");
        return new DetectionRequest
        {
            Prompt = c.GetProperty("prompt").GetString(),
            Options = new DetectOptions
            {
                CaptionMode = CaptionMode.Raw,
                BoxThreshold = p.GetProperty("threshold").GetSingle(),
                TextThreshold = p.GetProperty("text_threshold").GetSingle(),
            },
        };
    }

    /// <summary>One detector for the class.</summary>
    public sealed class Model : IDisposable
    {
        public GroundingDinoDetector Detector { get; } = GroundingDinoDetector.Create(Fixtures.Path("gdino"), new DetectorOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });

        public void Dispose() => Detector.Dispose();
    }
}
