using System.Text.Json;
using Grounded.Geometry;
using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Segmenter.Layouts;
using Grounded.Segmenter.Processing;
using Grounded.Tests.Support;


namespace Grounded.Tests.Segmenter;

/// <summary>Parity with ../fixtures/sam-official (segment-anything's SamPredictor and ONNX export).</summary>
public sealed class OfficialSamParityTests(OfficialSamParityTests.Model model) : IClassFixture<OfficialSamParityTests.Model>
{
    private readonly SamSegmenter _segmenter = model.Segmenter;

    public static TheoryData<string> Cases => new(Directory.GetDirectories(Fixtures.Path("sam-official", "cases")).Select(Path.GetFileName).Order()!);

    [Fact]
    public void Folder_is_detected_as_official_layout() => Assert.Equal(SamModelLayout.Official, _segmenter.Layout);

    [Fact]
    public void Encoder_input_is_bit_identical_to_the_reference()
    {
        var image = Fixtures.Image("synthetic");
        var resized = SamPreprocessing.Official.Resize(image);

        float[] tensor = SamPreprocessing.Official.ToTensor(resized);

        string expected = Fixtures.Json("sam-official", "manifest.json").GetProperty("images").GetProperty("synthetic").GetProperty("image_input").GetProperty("sha256").GetString()!;
        Assert.Equal(expected, Fixtures.Sha256(tensor));
    }

    [Theory]
    [InlineData("cat")]
    [InlineData("astronaut")]
    [InlineData("synthetic")]
    public async Task Encoder_output_matches_within_1e4(string name)
    {
        var embedding = await _segmenter.EncodeAsync(Fixtures.Image(name));

        HuggingFaceSamParityTests.AssertClose(Fixtures.Floats("sam-official", "image_embeddings", name + ".bin"), embedding.Embeddings.Data, 1e-4f);
        Assert.Equal([1, 32, 64, 64], embedding.Embeddings.Shape);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Decoder_feeds_and_outputs_match_the_recorded_ones(string caseId)
    {
        var c = Case(caseId);
        var onnx = c.GetProperty("onnx_decoder");
        var embedding = await _segmenter.EncodeAsync(Fixtures.Image(HuggingFaceSamParityTests.ImageName(c)));
        var prompt = Prompt(c);

        var (coords, labels) = OfficialSamBackend.BuildPoints(embedding, prompt);
        var outputs = ((OfficialSamBackend)_segmenter.Backend).DecodeRaw(embedding, prompt, default);

        // The feeds: coordinates within 1e-3 of the reference transform, labels identical (padding point included).
        HuggingFaceSamParityTests.AssertClose(Fixtures.FloatArray(onnx.GetProperty("feeds").GetProperty("point_coords")), coords.Data, 1e-3f);
        Assert.Equal(Fixtures.FloatArray(onnx.GetProperty("feeds").GetProperty("point_labels")), labels.Data);
        // The outputs: within 1e-4.
        HuggingFaceSamParityTests.AssertClose(Fixtures.FloatArray(onnx.GetProperty("iou_predictions")), outputs["iou_predictions"].Data, 1e-4f);
        if (onnx.GetProperty("low_res_masks").TryGetProperty("file", out var file))
        {
            HuggingFaceSamParityTests.AssertClose(Fixtures.Floats("sam-official", file.GetString()!), outputs["low_res_masks"].Data, 1e-4f);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Multimask_and_single_answers_equal_sam_predictor(string caseId)
    {
        var c = Case(caseId);
        var image = Fixtures.Image(HuggingFaceSamParityTests.ImageName(c));
        var prompt = Prompt(c);

        foreach (var (key, multimask) in new[] { ("multimask", true), ("single", false) })
        {
            var expected = c.GetProperty(key);
            var result = await _segmenter.SegmentAsync(image, new SegmentationRequest { Prompts = [prompt], Options = new SegmentOptions { Multimask = multimask } });
            var candidates = result.Objects.Single().Candidates;
            float[] scores = Fixtures.FloatArray(expected.GetProperty("scores"));
            string[] masks = [.. expected.GetProperty("masks").EnumerateArray().Select(e => e.GetString()!)];

            Assert.Equal(scores.Length, candidates.Count);
            for (int k = 0; k < scores.Length; k++)
            {
                Assert.Equal(scores[k], candidates[k].PredictedIou, 1e-4f); // score: abs 1e-4
                double iou = candidates[k].Mask.IoU(Fixtures.MaskPng("sam-official", masks[k]));
                Assert.True(iou >= 0.99, $"{key} mask {k} IoU {iou}"); // mask: IoU >= 0.99
            }
        }
    }

    [Fact]
    public async Task A_previous_low_res_mask_refines_the_answer()
    {
        var image = Fixtures.Image("cat");
        var first = await _segmenter.SegmentAsync(image, new SegmentationRequest { Prompts = [SamPrompt.FromPoints(new PromptPoint(200, 150))] });

        var refined = await _segmenter.SegmentAsync(image, new SegmentationRequest
        {
            Prompts = [new SamPrompt { Points = [new PromptPoint(200, 150)], MaskInput = first.Objects[0].Best.LowResLogits }],
        });

        Assert.NotEqual(first.Objects[0].Best.PredictedIou, refined.Objects[0].Best.PredictedIou);
        Assert.Equal(256 * 256, refined.Objects[0].Best.LowResLogits.Length);
    }

    [Fact]
    public async Task Many_prompts_decoded_together_equal_each_decoded_alone()
    {
        var image = Fixtures.Image("cat");
        var prompts = Directory.GetDirectories(Fixtures.Path("sam-official", "cases")).Select(d => Prompt(Case(Path.GetFileName(d)))).Concat(Enumerable.Range(0, 6).Select(i => SamPrompt.FromBox(new BoxXyxy(10 + (i * 40), 20, 120 + (i * 50), 200)))).ToList();

        var together = await _segmenter.SegmentAsync(image, new SegmentationRequest { Prompts = prompts, Options = new SegmentOptions { Multimask = true } });

        for (int i = 0; i < prompts.Count; i++)
        {
            // Alone, the original graph answers; together, the specialised graph in batches: a batch sums in another
            // order, so logits may differ in their last bits, never the masks.
            var alone = await _segmenter.SegmentAsync(image, new SegmentationRequest { Prompts = [prompts[i]], Options = new SegmentOptions { Multimask = true } });
            Assert.Equal(alone.Objects[0].Best.PredictedIou, together.Objects[i].Best.PredictedIou, 1e-6f);
            Assert.Equal(1.0, alone.Objects[0].Best.Mask.IoU(together.Objects[i].Best.Mask));
            HuggingFaceSamParityTests.AssertClose(alone.Objects[0].Best.LowResLogits, together.Objects[i].Best.LowResLogits, 1e-5f);
        }
    }

    private static JsonElement Case(string caseId) => Fixtures.Json("sam-official", "cases", caseId, "case.json");

    internal static SamPrompt Prompt(JsonElement c)
    {
        var points = c.GetProperty("points_xy").ValueKind == JsonValueKind.Array
            ? c.GetProperty("points_xy").EnumerateArray().Zip(c.GetProperty("labels").EnumerateArray(), (p, l) => new PromptPoint(p[0].GetSingle(), p[1].GetSingle(), l.GetInt32() == 1)).ToArray()
            : [];
        BoxXyxy? box = null;
        if (c.GetProperty("box_xyxy").ValueKind == JsonValueKind.Array)
        {
            var b = Fixtures.FloatArray(c.GetProperty("box_xyxy"));
            box = new BoxXyxy(b[0], b[1], b[2], b[3]);
        }

        return new SamPrompt { Points = points, Box = box };
    }

    /// <summary>One segmenter for the class.</summary>
    public sealed class Model : IDisposable
    {
        public SamSegmenter Segmenter { get; } = SamSegmenter.Create(Fixtures.Path("sam-official"), new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });

        public void Dispose() => Segmenter.Dispose();
    }
}
