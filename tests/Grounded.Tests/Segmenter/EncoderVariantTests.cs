using Grounded.Geometry;
using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Segmenter.Layouts;
using Grounded.Imaging;
using Grounded.Tests.Support;
using static Grounded.Tests.Support.OnnxGraphBuilder;

namespace Grounded.Tests.Segmenter;

/// <summary>
/// The segment-anything encoder exported with its pre-processing inside (samexporter, Acly/MobileSAM): input_image
/// [H, W, 3] of raw 0..255 values of the resized image. A tiny graph with that contract checks what is fed.
/// </summary>
public sealed class EncoderVariantTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-hwc-").FullName;

    [Fact]
    public async Task The_hwc_encoder_gets_the_resized_image_unnormalised_and_the_decoder_works_on_its_output()
    {
        // image_embeddings = mean(input_image) broadcast to [1, 32, 64, 64]: the mean says what was fed.
        var g = new OnnxGraphBuilder().Input("input_image", Float, null, null, 3).Output("image_embeddings", Float, 1, 32, 64, 64);
        string mean = g.Node("ReduceMean", ["input_image"], attributes: ("keepdims", 0L));
        string scaled = g.Node("Mul", [mean, g.Constant([0.001f], 1)]);
        g.Node("Expand", [scaled, g.Constant([1L, 32, 64, 64], 4)], "image_embeddings");
        g.Save(Path.Combine(_dir, "mobile_sam_image_encoder.onnx"));
        File.Copy(Fixtures.Path("sam-official", "decoder.onnx"), Path.Combine(_dir, "sam_mask_decoder_multi.onnx"));
        using var segmenter = SamSegmenter.Create(_dir, new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        var image = Fixtures.Image("synthetic");

        var embedding = await segmenter.EncodeAsync(image);
        var result = await segmenter.SegmentAsync(embedding, new SegmentationRequest { Prompts = [SamPrompt.FromBox(new BoxXyxy(10, 10, 100, 100)) ], Options = new SegmentOptions { Multimask = true } });

        var resized = PilBilinear.Resize(image, 1024, 640);
        double expectedMean = resized.Pixels.Average(b => (double)b) * 0.001;
        Assert.Equal(SamModelLayout.Official, segmenter.Layout);
        Assert.Equal((1024, 640), (embedding.ResizedWidth, embedding.ResizedHeight));
        Assert.Equal(expectedMean, embedding.Embeddings.Data[0], 1e-4); // float32 mean over 2 M values
        Assert.Equal(3, result.Objects[0].Candidates.Count);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
