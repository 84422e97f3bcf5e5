using System.Text.Json;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>`grounded everything … --json` against SamAutomaticMaskGenerator's recorded runs.</summary>
public sealed class CliEverythingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-everything-").FullName;

    [Theory]
    [InlineData("cat", "no_nms")]
    [InlineData("synthetic", "nms")]
    public async Task Everything_json_reproduces_the_reference(string image, string run)
    {
        var reference = Fixtures.Json("sam-official", "amg", image + ".json").GetProperty("runs").GetProperty(run);
        var p = reference.GetProperty("params");

        var (code, stdout, stderr) = await CliRunner.RunAsync("everything", Fixtures.Path("images", image + ".png"), "--segmenter", Fixtures.Path("sam-official"),
            "--points-per-side", "8", "--points-per-batch", "64", "--pred-iou-thresh", p.GetProperty("pred_iou_thresh").GetRawText(),
            "--stability-thresh", p.GetProperty("stability_score_thresh").GetRawText(), "--box-nms", p.GetProperty("box_nms_thresh").GetRawText(), "--json", "--device", "cpu");

        Assert.True(code == 0, stderr);
        var objects = JsonDocument.Parse(stdout).RootElement.GetProperty("objects").EnumerateArray().ToArray();
        var expected = reference.GetProperty("masks").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, objects.Length);
        for (int i = 0; i < objects.Length; i++)
        {
            var e = expected[i];
            Assert.Equal(e.GetProperty("predicted_iou").GetSingle(), objects[i].GetProperty("score").GetSingle(), 1e-4f);
            Assert.Equal(e.GetProperty("stability_score").GetSingle(), objects[i].GetProperty("stability").GetSingle(), 1e-3f);
            var mask = CliPointPromptTests.Decode(objects[i].GetProperty("mask"));
            Assert.True(mask.IoU(Segmenter.AutomaticMaskGeneratorTests.DecodeUncompressed(e.GetProperty("segmentation"))) >= 0.99);
            float[] bbox = Fixtures.FloatArray(e.GetProperty("bbox_xywh"));
            float[] box = Fixtures.FloatArray(objects[i].GetProperty("box"));
            Assert.Equal(bbox[0], box[0], 1f);
            Assert.Equal(bbox[0] + bbox[2], box[2], 1f);
            Assert.Equal(Fixtures.FloatArray(e.GetProperty("point_coords")), Fixtures.FloatArray(objects[i].GetProperty("point")));
        }
    }

    [Fact]
    public async Task Everything_writes_an_overlay_masks_and_a_coco_dataset_for_a_folder()
    {
        string input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(input, "a.png"));
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(input, "b.png"));
        string outDir = Path.Combine(_dir, "out");

        var (code, _, stderr) = await CliRunner.RunAsync("everything", input, "--segmenter", Fixtures.Path("sam-official"), "--points-per-side", "4",
            "--pred-iou-thresh", "0", "--stability-thresh", "0", "--box-nms", "1.0", "--out", outDir, "--format", "overlay,masks,json,coco", "--device", "cpu");

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "a", "overlay.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "b", "masks", "00.png")));
        CliSegmentTests.AssertCocoDataset(Path.Combine(outDir, "coco.json"), expectedImages: 2);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
