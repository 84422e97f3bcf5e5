using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grounded.Tests.Support;

namespace Grounded.Tests.Studio;

/// <summary>
/// The one-shot API answers with the CLI's own documents, and the session API reuses the embedding and the raw
/// detector outputs (counted).
/// </summary>
public class StudioApiTests
{
    internal static MultipartFormDataContent Form(string imagePath, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(File.ReadAllBytes(imagePath));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", Path.GetFileName(imagePath));
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    internal static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>A document without what differs between two runs by nature: the timings, and the image as named (the CLI prints the path it was given).</summary>
    internal static string Comparable(string document)
    {
        var node = JsonNode.Parse(document)!.AsObject();
        node.Remove("timings_ms");
        node.Remove("image");
        return node.ToJsonString();
    }

    private static async Task<string> Ok(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    [Theory]
    [InlineData("cat", "a cat", null)]
    [InlineData("cat", "cat . remote control", "0.2")]
    [InlineData("astronaut", "a person . a flag", null)]
    public async Task Segment_text_prompt_equals_the_cli_document(string image, string prompt, string? boxThreshold)
    {
        string path = Fixtures.Path("images", image + ".png");
        var cliArgs = new List<string> { "segment", path, prompt, "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--json", "--device", "cpu" };
        var fields = new List<(string, string)> { ("prompt", prompt) };
        if (boxThreshold is not null)
        {
            cliArgs.AddRange(["--box-threshold", boxThreshold]);
            fields.Add(("box_threshold", boxThreshold));
        }

        var (code, cliOut, cliErr) = await CliRunner.RunAsync([.. cliArgs]);
        Assert.True(code == 0, cliErr);
        using var factory = StudioFactory.Create();
        using var client = factory.CreateClient();

        string api = await Ok(await client.PostAsync("/api/segment", Form(path, [.. fields])));

        Assert.Equal(Comparable(cliOut.Trim()), Comparable(api));
        Assert.Equal(image + ".png", JsonDocument.Parse(api).RootElement.GetProperty("image").GetString());
        Assert.NotEmpty(JsonDocument.Parse(api).RootElement.GetProperty("objects").EnumerateArray());
    }

    public static TheoryData<string> OfficialCases => new(Directory.GetDirectories(Fixtures.Path("sam-official", "cases")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(OfficialCases))]
    public async Task Segment_clicks_and_boxes_equal_the_cli_document(string caseId)
    {
        var c = Fixtures.Json("sam-official", "cases", caseId, "case.json");
        string path = Fixtures.Path(c.GetProperty("image").GetString()!);
        var cliArgs = new List<string> { "segment", path, "--segmenter", Fixtures.Path("sam-official"), "--multimask", "--json", "--device", "cpu" };
        var fields = new List<(string, string)> { ("multimask", "true") };
        if (c.GetProperty("points_xy").ValueKind == JsonValueKind.Array)
        {
            var labels = c.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray();
            var points = c.GetProperty("points_xy").EnumerateArray().Select((p, i) => FormattableString.Invariant($"{p[0].GetDouble()},{p[1].GetDouble()}:{labels[i]}")).ToList();
            cliArgs.AddRange(points.SelectMany(p => new[] { "--points", p }));
            fields.Add(("points", string.Join(';', points)));
        }

        if (c.GetProperty("box_xyxy").ValueKind == JsonValueKind.Array)
        {
            string box = string.Join(',', c.GetProperty("box_xyxy").EnumerateArray().Select(v => v.GetDouble().ToString(CultureInfo.InvariantCulture)));
            cliArgs.AddRange(["--box", box]);
            fields.Add(("box", box));
        }

        var (code, cliOut, cliErr) = await CliRunner.RunAsync([.. cliArgs]);
        Assert.True(code == 0, cliErr);
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        using var client = factory.CreateClient();

        string api = await Ok(await client.PostAsync("/api/segment", Form(path, [.. fields])));

        Assert.Equal(Comparable(cliOut.Trim()), Comparable(api));
        Assert.Equal(3, JsonDocument.Parse(api).RootElement.GetProperty("objects")[0].GetProperty("masks").GetArrayLength());
    }

    [Fact]
    public async Task Detect_equals_the_cli_document()
    {
        string path = Fixtures.Path("images", "cat.png");
        var (code, cliOut, cliErr) = await CliRunner.RunAsync("detect", path, "cat . remote control", "--detector", Fixtures.Path("gdino"), "--nms", "class", "--json", "--device", "cpu");
        Assert.True(code == 0, cliErr);
        using var factory = StudioFactory.Create();
        using var client = factory.CreateClient();

        string api = await Ok(await client.PostAsync("/api/detect", Form(path, ("prompt", "cat . remote control"), ("nms", "class"))));

        Assert.Equal(Comparable(cliOut.Trim()), Comparable(api));
    }

    [Theory]
    [InlineData("cat")]
    [InlineData("synthetic")]
    public async Task Everything_equals_the_cli_document(string image)
    {
        string path = Fixtures.Path("images", image + ".png");
        var (code, cliOut, cliErr) = await CliRunner.RunAsync("everything", path, "--segmenter", Fixtures.Path("sam-official"), "--points-per-side", "8", "--pred-iou-thresh", "0", "--stability-thresh", "0", "--json", "--device", "cpu");
        Assert.True(code == 0, cliErr);
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        using var client = factory.CreateClient();

        string api = await Ok(await client.PostAsync("/api/everything", Form(path, ("points_per_side", "8"), ("pred_iou_thresh", "0"), ("stability_thresh", "0"))));

        Assert.Equal(Comparable(cliOut.Trim()), Comparable(api));
        Assert.NotEmpty(JsonDocument.Parse(api).RootElement.GetProperty("objects").EnumerateArray());
    }

    [Fact]
    public async Task A_session_encodes_once_and_a_moved_threshold_runs_no_model()
    {
        using var factory = StudioFactory.Create();
        using var client = factory.CreateClient();
        string path = Fixtures.Path("images", "cat.png");
        string id = JsonDocument.Parse(await Ok(await client.PostAsync("/api/images", Form(path)))).RootElement.GetProperty("id").GetString()!;

        string first = await Ok(await client.PostAsync($"/api/images/{id}/segment", Json(new { prompt = "cat . remote control", box_threshold = 0.3 })));
        foreach (double threshold in new[] { 0.2, 0.25, 0.35, 0.3 })
        {
            await Ok(await client.PostAsync($"/api/images/{id}/segment", Json(new { prompt = "cat . remote control", box_threshold = threshold })));
        }

        string again = await Ok(await client.PostAsync($"/api/images/{id}/segment", Json(new { prompt = "cat . remote control", box_threshold = 0.3 })));
        for (int i = 0; i < 5; i++)
        {
            await Ok(await client.PostAsync($"/api/images/{id}/segment", Json(new { points = FormattableString.Invariant($"{100 + (i * 50)},150:1") })));
            await Ok(await client.PostAsync($"/api/images/{id}/preview", Json(new { points = FormattableString.Invariant($"{120 + (i * 40)},160:1"), multimask = true })));
        }

        var status = JsonDocument.Parse(await Ok(await client.GetAsync("/api/status"))).RootElement;
        Assert.Equal(1, status.GetProperty("encoder_runs").GetInt32());
        Assert.Equal(1, status.GetProperty("detector_runs").GetInt32());
        Assert.Equal(Comparable(first), Comparable(again));

        // The session's answer is the one-shot call's (which the CLI's equals).
        string once = await Ok(await client.PostAsync("/api/segment", Form(path, ("prompt", "cat . remote control"), ("box_threshold", "0.3"))));
        Assert.Equal(Comparable(once), Comparable(first));
    }

    [Fact]
    public async Task A_preview_is_the_decoders_low_resolution_mask_over_the_image()
    {
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        using var client = factory.CreateClient();
        string id = JsonDocument.Parse(await Ok(await client.PostAsync("/api/images", Form(Fixtures.Path("images", "cat.png"))))).RootElement.GetProperty("id").GetString()!;

        var preview = JsonDocument.Parse(await Ok(await client.PostAsync($"/api/images/{id}/preview", Json(new { points = "225,150:1", multimask = true })))).RootElement;

        // cat.png is 450×300: resized to 1024×683, a quarter of which is 256×171 of the 256×256 grid.
        Assert.Equal(256, preview.GetProperty("width").GetInt32());
        Assert.Equal(171, preview.GetProperty("height").GetInt32());
        Assert.Equal(3, preview.GetProperty("candidates").GetArrayLength());
        foreach (var candidate in preview.GetProperty("candidates").EnumerateArray())
        {
            Assert.Equal((256 * 171) + 7 >> 3, Convert.FromBase64String(candidate.GetProperty("bits").GetString()!).Length);
        }
    }
}
