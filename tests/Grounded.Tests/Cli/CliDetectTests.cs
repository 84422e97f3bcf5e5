using System.Text.Json;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>`grounded detect` against the Grounding DINO fixtures: same objects, boxes within 0.5 px, scores within 1e-4, phrases equal.</summary>
public class CliDetectTests
{
    public static TheoryData<string> Cases => new(Directory.GetDirectories(Fixtures.Path("gdino", "cases")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Detect_json_reproduces_the_reference(string caseId)
    {
        var c = Fixtures.Json("gdino", "cases", caseId, "case.json");
        var post = c.GetProperty("postprocess");
        string image = Fixtures.Path(c.GetProperty("image").GetString()!);

        var (code, stdout, stderr) = await CliRunner.RunAsync("detect", image, c.GetProperty("prompt").GetString()!, "--detector", Fixtures.Path("gdino"),
            "--caption-mode", "raw", "--box-threshold", post.GetProperty("threshold").GetRawText(), "--text-threshold", post.GetProperty("text_threshold").GetRawText(), "--json", "--device", "cpu");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var objects = doc.RootElement.GetProperty("objects").EnumerateArray().ToArray();
        var expected = post.GetProperty("result");
        float[] scores = Fixtures.FloatArray(expected.GetProperty("scores"));
        float[] boxes = Fixtures.FloatArray(expected.GetProperty("boxes"));
        string[] labels = [.. expected.GetProperty("text_labels").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(scores.Length, objects.Length);
        for (int i = 0; i < objects.Length; i++)
        {
            Assert.Equal(scores[i], objects[i].GetProperty("score").GetSingle(), 1e-4f); // score: abs 1e-4
            // The reference's box, where the output clipped "box" to the image, is "reference_box".
            float[] box = Fixtures.FloatArray(objects[i].TryGetProperty("reference_box", out var reference) ? reference : objects[i].GetProperty("box"));
            float[] clipped = Fixtures.FloatArray(objects[i].GetProperty("box"));
            int width = doc.RootElement.GetProperty("width").GetInt32(), height = doc.RootElement.GetProperty("height").GetInt32();
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(boxes[i * 4 + k], box[k], 0.5f); // box: 0.5 px
                Assert.Equal(Math.Clamp(box[k], 0, k % 2 == 0 ? width : height), clipped[k], 0.01f);
            }

            Assert.Equal(labels[i], objects[i].GetProperty("phrase").GetString()); // phrase: identical
        }
    }

    [Fact]
    public async Task An_empty_prompt_is_a_usage_error_on_one_line()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "   ", "--detector", Fixtures.Path("gdino"), "--json");

        Assert.Equal(2, code);
        Assert.StartsWith("error: The prompt is empty", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_prompt_with_no_detection_is_an_empty_result()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "bear.", "--detector", Fixtures.Path("gdino"), "--box-threshold", "0.9999", "--json", "--device", "cpu");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("objects").GetArrayLength());
    }
}
