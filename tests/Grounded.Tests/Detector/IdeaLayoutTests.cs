using Grounded.Detector;
using Grounded.Detector.Layouts;
using Grounded.Onnx;
using Grounded.Tests.Support;
using static Grounded.Tests.Support.OnnxGraphBuilder;

namespace Grounded.Tests.Detector;

/// <summary>
/// The IDEA layout, through a tiny graph with its exact contract: inputs img, input_ids, attention_mask (bool),
/// position_ids, token_type_ids, text_token_mask (bool) and outputs logits, boxes. The graph echoes what it was fed:
/// logits[0, 0, t] = 4·position_ids[t] + Σ_j text_token_mask[t, j] − 3.5, and boxes[0, 0] = (mean(img), 0.5, 0.2, 0.4).
/// </summary>
public sealed class IdeaLayoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-idea-").FullName;

    public IdeaLayoutTests()
    {
        var g = new OnnxGraphBuilder()
            .Input("img", Float, 1, 3, null, null)
            .Input("input_ids", Int64Type, 1, null)
            .Input("attention_mask", Bool, 1, null)
            .Input("position_ids", Int64Type, 1, null)
            .Input("token_type_ids", Int64Type, 1, null)
            .Input("text_token_mask", Bool, 1, null, null)
            .Output("logits", Float, 1, 1, null)
            .Output("boxes", Float, 1, 1, 4);
        string mask = g.Node("Cast", ["text_token_mask"], attributes: ("to", (long)Float));
        string rows = g.Node("ReduceSum", [mask, g.Constant([2L], 1)], attributes: ("keepdims", 0L));
        string pos = g.Node("Cast", ["position_ids"], attributes: ("to", (long)Float));
        string scaled = g.Node("Mul", [pos, g.Constant([4f], 1)]);
        string sum = g.Node("Add", [scaled, rows]);
        string shifted = g.Node("Sub", [sum, g.Constant([3.5f], 1)]);
        g.Node("Unsqueeze", [shifted, g.Constant([1L], 1)], "logits");
        string mean = g.Node("ReduceMean", ["img"], attributes: ("keepdims", 0L));
        string cx = g.Node("Reshape", [mean, g.Constant([1L, 1, 1], 3)]);
        string rest = g.Constant([0.5f, 0.2f, 0.4f], 1, 1, 3);
        g.Node("Concat", [cx, rest], "boxes", ("axis", 2L));
        g.Save(Path.Combine(_dir, "groundingdino_swint.onnx"));
        File.Copy(Fixtures.Path("gdino", "vocab.txt"), Path.Combine(_dir, "vocab.txt"));
    }

    [Fact]
    public async Task The_detector_feeds_idea_position_ids_and_text_mask_and_decodes_the_phrase()
    {
        using var detector = GroundingDinoDetector.Create(_dir, new DetectorOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        Assert.Equal(GroundingDinoLayout.Idea, detector.Layout);

        // [CLS] a cat . a remote control . [SEP]: IDEA positions 0 0 1 2 0 1 2 3 0; phrase sizes 1 3 3 3 4 4 4 4 1.
        var result = await detector.DetectAsync(Fixtures.Image("synthetic"), new DetectionRequest { Prompt = "a cat. a remote control.", Options = new DetectOptions { CaptionMode = CaptionMode.Raw, BoxThreshold = 0.5f, TextThreshold = 0.99f } });

        // logits: 4·pos + rowsum − 3.5 = [-2.5, -0.5, 3.5, 7.5, 0.5, 4.5, 8.5, 12.5, -2.5]; > logit(0.99) = 4.595: tokens 3, 6, 7.
        var d = Assert.Single(result.Detections);
        Assert.Equal(1f / (1f + MathF.Exp(-12.5f)), d.Score, 1e-6f);
        Assert.Equal(". control.", d.Phrase);
        Assert.Equal("a remote control", d.Label);
        // cx = mean of the normalised image; box = (cx - 0.1, 0.3, cx + 0.1, 0.7) in pixels.
        Assert.Equal(0.3f * 200, d.Box.Y0, 1e-3f);
        Assert.Equal(0.7f * 200, d.Box.Y1, 1e-3f);
        Assert.Equal(0.2f * 320, d.Box.X1 - d.Box.X0, 1e-3f);
    }

    [Fact]
    public void A_model_missing_text_token_mask_names_it()
    {
        var g = new OnnxGraphBuilder()
            .Input("img", Float, 1, 3, null, null).Input("input_ids", Int64Type, 1, null).Input("position_ids", Int64Type, 1, null).Input("token_type_ids", Int64Type, 1, null)
            .Output("logits", Float, 1, 1, 4).Output("boxes", Float, 1, 1, 4);
        g.Node("Identity", [g.Constant([0f, 0, 0, 0], 1, 1, 4)], "logits");
        g.Node("Identity", [g.Constant([0f, 0, 0, 0], 1, 1, 4)], "boxes");
        string dir = Path.Combine(_dir, "broken");
        Directory.CreateDirectory(dir);
        g.Save(Path.Combine(dir, "model.onnx"));
        File.Copy(Fixtures.Path("gdino", "vocab.txt"), Path.Combine(dir, "vocab.txt"));

        var ex = Assert.Throws<ModelContractException>(() => GroundingDinoDetector.Create(dir));

        Assert.Equal("text_token_mask", ex.TensorName);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
