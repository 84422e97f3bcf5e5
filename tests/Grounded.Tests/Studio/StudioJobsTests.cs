using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grounded.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static Grounded.Tests.Studio.StudioApiTests;

namespace Grounded.Tests.Studio;

/// <summary>Everything and edits as jobs (events, results), the downloads of what is on screen, and the API's description.</summary>
public class StudioJobsTests
{
    private static async Task<(HttpClient Client, string Id, JsonNode Objects)> SegmentedCatAsync(StudioFactory factory)
    {
        var client = factory.CreateClient();
        string id = JsonDocument.Parse(await (await client.PostAsync("/api/images", Form(Fixtures.Path("images", "cat.png")))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string doc = await (await client.PostAsync($"/api/images/{id}/segment", Json(new { box = "150,60,400,280" }))).Content.ReadAsStringAsync();
        return (client, id, JsonNode.Parse(doc)!["objects"]!);
    }

    /// <summary>Every state of a job, from its event stream (which ends with the job).</summary>
    internal static async Task<List<JsonElement>> JobStatesAsync(HttpClient client, string job)
    {
        using var events = new StreamReader(await client.GetStreamAsync($"/api/jobs/{job}/events"));
        var states = new List<JsonElement>();
        while (await events.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                states.Add(JsonDocument.Parse(line[6..]).RootElement);
            }
        }

        return states;
    }

    private static Masks.BinaryMask MaskOf(JsonNode objects) =>
        JsonSerializer.Deserialize(objects[0]!.ToJsonString(), Grounded.Outputs.Json.GroundedJsonContext.Default.ObjectJson)!.Mask!;

    [Fact]
    public async Task Everything_runs_as_a_job_with_events_and_equals_the_one_shot_answer()
    {
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        using var client = factory.CreateClient();
        string cat = Fixtures.Path("images", "cat.png");
        string id = JsonDocument.Parse(await (await client.PostAsync("/api/images", Form(cat))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var started = await client.PostAsync($"/api/images/{id}/everything", Json(new { points_per_side = 8, pred_iou_thresh = 0, stability_thresh = 0 }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var states = await JobStatesAsync(client, job);

        Assert.Equal("done", states[^1].GetProperty("state").GetString());
        Assert.Equal(1.0, states[^1].GetProperty("progress").GetDouble());
        var progress = states.Select(s => s.GetProperty("progress").GetDouble()).ToList();
        Assert.Equal(progress.Order(), progress);
        string result = await client.GetStringAsync($"/api/jobs/{job}/result");
        string once = await (await client.PostAsync("/api/everything", Form(cat, ("points_per_side", "8"), ("pred_iou_thresh", "0"), ("stability_thresh", "0")))).Content.ReadAsStringAsync();
        Assert.Equal(Comparable(once), Comparable(result));
    }

    [Fact]
    public async Task A_classical_removal_changes_only_the_masked_pixels()
    {
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        var (client, id, objects) = await SegmentedCatAsync(factory);
        using var _ = client;

        var started = await client.PostAsync($"/api/images/{id}/edit", Json(new { objects, inpainter = "classical", dilate = 0, feather = 0 }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var ended = await StudioSafetyTests.WaitForAsync(client, job, s => s.GetProperty("state").GetString() != "running");
        Assert.Equal("done", ended.GetProperty("state").GetString());

        var response = await client.GetAsync($"/api/jobs/{job}/result");
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        using var edited = Image.Load<Rgb24>(await response.Content.ReadAsByteArrayAsync());
        using var original = Image.Load<Rgb24>(Fixtures.Path("images", "cat.png"));
        var mask = MaskOf(objects);
        int changedInside = 0, changedOutside = 0;
        for (int y = 0; y < original.Height; y++)
        {
            for (int x = 0; x < original.Width; x++)
            {
                bool changed = !edited[x, y].Equals(original[x, y]);
                if (mask[x, y])
                {
                    changedInside += changed ? 1 : 0;
                }
                else
                {
                    changedOutside += changed ? 1 : 0;
                }
            }
        }

        Assert.Equal(0, changedOutside);
        Assert.True(changedInside > 0);
    }

    [Fact]
    public async Task Edits_need_objects_and_stable_diffusion_needs_a_prompt()
    {
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        var (client, id, objects) = await SegmentedCatAsync(factory);
        using var _ = client;
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/images/{id}/edit", Json(new { objects = Array.Empty<object>() }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/images/{id}/edit", Json(new { objects, inpainter = "sd" }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/images/{id}/edit", Json(new { objects, inpainter = "paint" }))).StatusCode);

        // A mask whose size is not the image's is refused before it is decoded (a hostile size would be gigabytes).
        var wrong = JsonNode.Parse(objects.ToJsonString())!;
        wrong[0]!["mask"]!["size"] = new JsonArray(100000, 100000);
        var refused = await client.PostAsync($"/api/images/{id}/export/cutout", Json(new { objects = wrong }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("[300, 450]", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_are_what_is_on_screen()
    {
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        var (client, id, objects) = await SegmentedCatAsync(factory);
        using var _ = client;
        var mask = MaskOf(objects);
        var box = mask.BoundingBox()!.Value;

        var cutout = await client.PostAsync($"/api/images/{id}/export/cutout", Json(new { objects }));
        Assert.Equal("image/png", cutout.Content.Headers.ContentType!.MediaType);
        using (var png = Image.Load<Rgba32>(await cutout.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((int)Math.Ceiling(box.X1) - (int)Math.Floor(box.X0), png.Width);
            int transparentOutside = 0, opaqueInside = 0;
            for (int y = 0; y < png.Height; y++)
            {
                for (int x = 0; x < png.Width; x++)
                {
                    bool inside = mask[(int)box.X0 + x, (int)box.Y0 + y];
                    transparentOutside += !inside && png[x, y].A == 0 ? 1 : 0;
                    opaqueInside += inside && png[x, y].A == 255 ? 1 : 0;
                    Assert.Equal(inside, png[x, y].A == 255);
                }
            }

            Assert.True(opaqueInside > 0 && transparentOutside > 0);
        }

        using (var overlay = Image.Load<Rgb24>(await (await client.PostAsync($"/api/images/{id}/export/overlay", Json(new { objects }))).Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((450, 300), (overlay.Width, overlay.Height));
        }

        using (var masks = Image.Load<L8>(await (await client.PostAsync($"/api/images/{id}/export/masks", Json(new { objects }))).Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(mask.Area(), Enumerable.Range(0, 300).Sum(y => Enumerable.Range(0, 450).Count(x => masks[x, y].PackedValue == 1)));
        }

        var results = JsonDocument.Parse(await (await client.PostAsync($"/api/images/{id}/export/results", Json(new { objects }))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(objects[0]!["mask"]!["counts"]!.GetValue<string>(), results.GetProperty("objects")[0].GetProperty("mask").GetProperty("counts").GetString());
        var coco = JsonDocument.Parse(await (await client.PostAsync($"/api/images/{id}/export/coco", Json(new { objects }))).Content.ReadAsStringAsync()).RootElement;
        Assert.Single(coco.GetProperty("images").EnumerateArray());
        Assert.Single(coco.GetProperty("annotations").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/images/{id}/export/pdf", Json(new { objects }))).StatusCode);
    }

    [Fact]
    public async Task The_api_is_described_and_the_page_is_served_from_the_assembly()
    {
        using var factory = StudioFactory.Create();
        using var client = factory.CreateClient();
        var spec = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = spec.GetProperty("paths");
        foreach (string path in new[] { "/api/segment", "/api/detect", "/api/everything", "/api/images", "/api/images/{id}/preview", "/api/jobs/{id}/events" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var form = spec.GetProperty("components").GetProperty("schemas").GetProperty("SegmentForm").GetProperty("properties");
        foreach (string field in new[] { "image", "prompt", "points", "box", "box_threshold", "text_threshold", "multimask" })
        {
            Assert.True(form.TryGetProperty(field, out _), field);
        }

        var page = await client.GetAsync("/");
        Assert.Contains("Grounded Studio", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("openapi", await client.GetStringAsync("/static/docs.js"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/static/../../etc/passwd")).StatusCode);
    }
}

/// <summary>Edits with the generative and learned inpainters: Stable Diffusion reports every step.</summary>
public sealed class StudioInpaintJobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-studio-sd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Replace_reports_each_denoising_step_and_remove_uses_lama()
    {
        string sd = Inpaint.TinyStableDiffusion.Create(Path.Combine(_dir, "sd"));
        string lama = TinyModels.Lama(Path.Combine(_dir, "lama.onnx"));
        using var factory = StudioFactory.Create(segmenter: "sam-official", change: o => o with { StableDiffusionModel = sd, LamaModel = lama });
        using var client = factory.CreateClient();
        string id = JsonDocument.Parse(await (await client.PostAsync("/api/images", Form(Fixtures.Path("images", "cat.png")))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var objects = JsonNode.Parse(await (await client.PostAsync($"/api/images/{id}/segment", Json(new { box = "150,60,400,280" }))).Content.ReadAsStringAsync())!["objects"];

        var started = await client.PostAsync($"/api/images/{id}/edit", Json(new { objects, inpainter = "sd", prompt = "a red leather sofa", steps = 4, seed = 7 }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var states = await StudioJobsTests.JobStatesAsync(client, job);
        Assert.All(states, status => Assert.NotEqual("failed", status.GetProperty("state").GetString()));
        var stages = states.Select(status => status.GetProperty("stage").GetString()!).ToList();

        Assert.Equal(["step 1/4", "step 2/4", "step 3/4", "step 4/4", "done"], stages.Where(s => s.StartsWith("step", StringComparison.Ordinal) || s == "done"));
        using (var edited = Image.Load<Rgb24>(await client.GetByteArrayAsync($"/api/jobs/{job}/result")))
        {
            Assert.Equal((450, 300), (edited.Width, edited.Height));
        }

        var removal = await client.PostAsync($"/api/images/{id}/edit", Json(new { objects, inpainter = "lama" }));
        string removeJob = JsonDocument.Parse(await removal.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var ended = await StudioSafetyTests.WaitForAsync(client, removeJob, s => s.GetProperty("state").GetString() != "running");
        Assert.True(ended.GetProperty("state").GetString() == "done", ended.ToString());
    }
}

/// <summary>An edit that changes nothing fails and says why, rather than handing back the original as the result.</summary>
public class StudioEditNothingTests
{
    [Fact]
    public async Task A_classical_fill_with_nothing_to_draw_from_fails_with_the_reason()
    {
        using var factory = StudioFactory.Create(segmenter: "sam-official");
        using var client = factory.CreateClient();
        string id = JsonDocument.Parse(await (await client.PostAsync("/api/images", Form(Fixtures.Path("images", "cat.png")))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var all = new Masks.BinaryMask(450, 300);
        for (long i = 0; i < 450 * 300; i++)
        {
            all.Set(i, true);
        }

        var everything = JsonSerializer.Serialize(new Grounded.Outputs.Json.ObjectJson { Label = "all", Phrase = "all", Score = 1, Box = [0, 0, 450, 300], Mask = all }, Grounded.Outputs.Json.GroundedJsonContext.Default.ObjectJson);
        var started = await client.PostAsync($"/api/images/{id}/edit", new StringContent($"{{\"objects\": [{everything}], \"inpainter\": \"classical\"}}", System.Text.Encoding.UTF8, "application/json"));
        string job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var ended = await StudioSafetyTests.WaitForAsync(client, job, s => s.GetProperty("state").GetString() != "running");

        Assert.Equal("failed", ended.GetProperty("state").GetString());
        Assert.Contains("Nothing changed", ended.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/api/jobs/{job}/result")).StatusCode);
    }
}
