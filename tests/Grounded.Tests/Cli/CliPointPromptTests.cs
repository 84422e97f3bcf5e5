using System.Globalization;
using System.Text.Json;
using Grounded.Masks;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>`grounded segment IMAGE --points … --box … --multimask --json` against both SAM layouts' references.</summary>
public class CliPointPromptTests
{
    public static TheoryData<string> OfficialCases => new(Directory.GetDirectories(Fixtures.Path("sam-official", "cases")).Select(Path.GetFileName).Order()!);

    public static TheoryData<string> HuggingFaceCases => new(Directory.GetDirectories(Fixtures.Path("sam", "cases")).Select(Path.GetFileName).Where(c => !c!.EndsWith("box", StringComparison.Ordinal)).Order()!);

    [Theory]
    [MemberData(nameof(OfficialCases))]
    public async Task Official_layout_multimask_equals_sam_predictor(string caseId)
    {
        var c = Fixtures.Json("sam-official", "cases", caseId, "case.json");
        var args = new List<string> { "segment", Fixtures.Path(c.GetProperty("image").GetString()!), "--segmenter", Fixtures.Path("sam-official"), "--multimask", "--json", "--device", "cpu" };
        if (c.GetProperty("points_xy").ValueKind == JsonValueKind.Array)
        {
            var labels = c.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray();
            int i = 0;
            foreach (var p in c.GetProperty("points_xy").EnumerateArray())
            {
                args.AddRange(["--points", FormattableString.Invariant($"{p[0].GetDouble()},{p[1].GetDouble()}:{labels[i++]}")]);
            }
        }

        if (c.GetProperty("box_xyxy").ValueKind == JsonValueKind.Array)
        {
            args.AddRange(["--box", string.Join(',', c.GetProperty("box_xyxy").EnumerateArray().Select(v => v.GetDouble().ToString(CultureInfo.InvariantCulture)))]);
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync([.. args]);

        Assert.True(code == 0, stderr);
        var obj = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("objects").EnumerateArray());
        var masks = obj.GetProperty("masks").EnumerateArray().ToArray();
        var expected = c.GetProperty("multimask");
        float[] scores = Fixtures.FloatArray(expected.GetProperty("scores"));
        Assert.Equal(3, masks.Length);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(scores[k], masks[k].GetProperty("iou").GetSingle(), 1e-4f); // score: abs 1e-4
            var reference = Fixtures.MaskPng("sam-official", expected.GetProperty("masks")[k].GetString()!);
            Assert.True(Decode(masks[k].GetProperty("mask")).IoU(reference) >= 0.99); // mask IoU >= 0.99
        }
    }

    [Theory]
    [MemberData(nameof(HuggingFaceCases))]
    public async Task Hugging_face_layout_multimask_equals_the_processor(string caseId)
    {
        var c = Fixtures.Json("sam", "cases", caseId, "case.json");
        var p = c.GetProperty("prompt_original_coords");
        var args = new List<string> { "segment", Fixtures.Path(c.GetProperty("image").GetString()!), "--segmenter", Fixtures.Path("sam"), "--multimask", "--json", "--device", "cpu" };
        var labels = p.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray();
        int i = 0;
        foreach (var point in p.GetProperty("points_xy").EnumerateArray())
        {
            args.AddRange(["--points", FormattableString.Invariant($"{point[0].GetDouble()},{point[1].GetDouble()}:{labels[i++]}")]);
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync([.. args]);

        Assert.True(code == 0, stderr);
        var obj = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("objects").EnumerateArray());
        var masks = obj.GetProperty("masks").EnumerateArray().ToArray();
        float[] scores = Fixtures.FloatArray(c.GetProperty("torch_reference").GetProperty("iou_scores"));
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(scores[k], masks[k].GetProperty("iou").GetSingle(), 1e-4f);
            Assert.True(Decode(masks[k].GetProperty("mask")).IoU(Fixtures.MaskPng("sam", "cases", caseId, $"mask_{k}.png")) >= 0.99);
        }
    }

    [Fact]
    public async Task Points_with_two_boxes_is_a_usage_error()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "--points", "10,10", "--box", "0,0,5,5", "--box", "1,1,6,6", "--segmenter", Fixtures.Path("sam"), "--json");

        Assert.Equal(2, code);
        Assert.Contains("at most one --box", stderr, StringComparison.Ordinal);
    }

    internal static BinaryMask Decode(JsonElement rle) =>
        CocoRle.FromCompressedString(rle.GetProperty("size")[0].GetInt32(), rle.GetProperty("size")[1].GetInt32(), rle.GetProperty("counts").GetString()!).Decode();
}
