using System.Text.Json;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>`grounded segment` with a text prompt: detection parity, masks, files, folder runs, resume, errors, help.</summary>
public sealed class CliSegmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-cli-").FullName;

    [Fact]
    public async Task Segment_writes_every_output_and_its_json_matches_the_detector_reference()
    {
        var c = Fixtures.Json("gdino", "cases", "cat__p1", "case.json");
        var post = c.GetProperty("postprocess");
        string outDir = Path.Combine(_dir, "out");

        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), c.GetProperty("prompt").GetString()!,
            "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--caption-mode", "raw",
            "--box-threshold", post.GetProperty("threshold").GetRawText(), "--text-threshold", post.GetProperty("text_threshold").GetRawText(),
            "--out", outDir, "--device", "cpu");

        Assert.True(code == 0, stderr);
        string folder = Path.Combine(outDir, "cat");
        foreach (string file in new[] { "overlay.png", "index.png", "results.json", "mask.json", "masks/00.png", "masks/02.png", "cutouts/00.png", "cutouts/02.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var objects = doc.RootElement.GetProperty("objects").EnumerateArray().ToArray();
        float[] boxes = Fixtures.FloatArray(post.GetProperty("result").GetProperty("boxes"));
        Assert.Equal(3, objects.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(boxes[i * 4], Fixtures.FloatArray(objects[i].GetProperty("box"))[0], 0.5f);
            var mask = CliPointPromptTests.Decode(objects[i].GetProperty("mask"));
            Assert.Equal((450, 300), (mask.Width, mask.Height));
            Assert.Equal(objects[i].GetProperty("area").GetInt64(), mask.Area());
        }

        Assert.Contains("timings_ms", doc.RootElement.GetRawText(), StringComparison.Ordinal);
        using var gsa = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "mask.json")));
        Assert.Equal("background", gsa.RootElement[0].GetProperty("label").GetString());
        Assert.Equal(4, gsa.RootElement.GetArrayLength());
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_folder_run_skips_a_corrupt_image_and_a_rerun_resumes()
    {
        string input = Path.Combine(_dir, "photos");
        Directory.CreateDirectory(input);
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(input, "cat.png"));
        File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(input, "synthetic.png"));
        byte[] astronaut = File.ReadAllBytes(Fixtures.Path("images", "astronaut.png"));
        File.WriteAllBytes(Path.Combine(input, "broken.png"), astronaut[..1000]);
        string outDir = Path.Combine(_dir, "out");
        string[] args = ["segment", input, "bear.", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--box-threshold", "0.95", "--text-threshold", "0.9", "--out", outDir, "--format", "all", "--device", "cpu"];

        var (code, _, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(3, code); // an input error: one image failed, the others were done
        Assert.Contains("broken.png", stderr, StringComparison.Ordinal);
        Assert.Contains("2 processed, 0 already done, 1 failed", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "cat", "results.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "synthetic", "results.json")));
        Assert.False(Directory.Exists(Path.Combine(outDir, "broken")));

        // Simulate an interruption while synthetic was being written: its completion marker is missing.
        File.Delete(Path.Combine(outDir, "synthetic", "results.json"));
        File.Delete(Path.Combine(input, "broken.png"));
        var (code2, _, stderr2) = await CliRunner.RunAsync(args);

        Assert.Equal(0, code2);
        Assert.Contains("1 processed, 1 already done, 0 failed", stderr2, StringComparison.Ordinal);
        AssertCocoDataset(Path.Combine(outDir, "coco.json"), expectedImages: 2);
        Assert.True(File.Exists(Path.Combine(outDir, "classes.txt")));
        Assert.True(File.Exists(Path.Combine(outDir, "labels", "cat.txt")));
    }

    [Fact]
    public async Task A_cancelled_folder_run_resumes_where_it_stopped()
    {
        string input = Path.Combine(_dir, "many");
        Directory.CreateDirectory(input);
        foreach (string name in new[] { "a", "b", "c", "d" })
        {
            File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(input, name + ".png"));
        }

        string outDir = Path.Combine(_dir, "out-many");
        string[] args = ["segment", input, "bear.", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--box-threshold", "0.95", "--out", outDir, "--parallel", "1", "--device", "cpu"];
        using var cts = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Interrupt (as Ctrl+C does) as soon as the first image is complete.
        var run = Grounded.Cli.CliApp.RunAsync(args, output, error, cts.Token);
        while (!run.IsCompleted && !(Directory.Exists(outDir) && Directory.EnumerateFiles(outDir, "results.json", SearchOption.AllDirectories).Any()))
        {
            await Task.Delay(20);
        }

        await cts.CancelAsync();
        int cancelled = await run;
        int finished = Directory.GetFiles(outDir, "results.json", SearchOption.AllDirectories).Length;

        var (code, _, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(130, cancelled);
        Assert.InRange(finished, 1, 3);
        Assert.Equal(0, code);
        Assert.Contains($"{4 - finished} processed, {finished} already done, 0 failed", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_glob_selects_images()
    {
        string input = Path.Combine(_dir, "g");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(input, "sub", "a.png"));
        File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(input, "b.png"));

        var (code, stdout, stderr) = await CliRunner.RunAsync("detect", Path.Combine(input, "**", "*.png"), "bear.", "--detector", Fixtures.Path("gdino"), "--json", "--device", "cpu");

        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length); // JSON Lines, one per image
        Assert.Equal(["b.png", "a.png"], lines.Select(l => Path.GetFileName(JsonDocument.Parse(l).RootElement.GetProperty("image").GetString())));
    }

    [Fact]
    public async Task A_model_missing_a_tensor_is_a_model_error_naming_it()
    {
        string models = Path.Combine(_dir, "bad-sam");
        Directory.CreateDirectory(models);
        File.Copy(Fixtures.Path("sam-official", "encoder.onnx"), Path.Combine(models, "vision_encoder.onnx"));
        File.Copy(Fixtures.Path("sam", "prompt_encoder_mask_decoder.onnx"), Path.Combine(models, "prompt_encoder_mask_decoder.onnx"));

        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "--points", "10,10", "--segmenter", models, "--json", "--device", "cpu");

        Assert.Equal(4, code);
        Assert.Contains("'pixel_values'", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_corrupt_single_image_is_an_input_error()
    {
        string path = Path.Combine(_dir, "x.jpg");
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70, 73, 70]);

        var (code, _, stderr) = await CliRunner.RunAsync("detect", path, "bear", "--detector", Fixtures.Path("gdino"), "--json", "--device", "cpu");

        Assert.Equal(3, code);
        Assert.Contains("x.jpg", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task Offline_without_models_names_the_files_and_urls_to_fetch()
    {
        string models = Path.Combine(_dir, "empty-cache");

        var (code, _, stderr) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "bear", "--models-dir", models, "--no-download", "--json");

        Assert.Equal(4, code);
        var manifest = Grounded.Models.ModelManifest.Load();
        var detector = manifest.Default("detector");
        Assert.Contains(new Grounded.Models.ModelStore(models).UrlOf(detector, detector.Files[^1]).ToString(), stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(models, "grounding-dino-tiny", "onnx", "model.onnx"), stderr, StringComparison.Ordinal);
        Assert.Contains("grounded models verify grounding-dino-tiny", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_segment_lists_every_missing_set_at_once()
    {
        string models = Path.Combine(_dir, "empty-cache-2");

        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "bear", "--models-dir", models, "--no-download");

        Assert.Equal(4, code);
        Assert.Contains("grounding-dino-tiny", stderr, StringComparison.Ordinal);
        var segmenter = Grounded.Models.ModelManifest.Load().Default("segmenter");
        Assert.Contains(new Grounded.Models.ModelStore(models).UrlOf(segmenter, segmenter.Files.Single(f => f.Path.EndsWith("vision_encoder.onnx", StringComparison.Ordinal))).ToString(), stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_commands_options_and_exit_codes()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("--help");
        var (_, segment, _) = await CliRunner.RunAsync("segment", "--help");
        var (_, models, _) = await CliRunner.RunAsync("models", "--help");

        Assert.Equal(0, code);
        Assert.Contains("grounded segment bear.jpg \"the bear\"", stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 success; 1 runtime error; 2 usage error", stdout, StringComparison.Ordinal);
        foreach (string option in new[] { "--box-threshold", "--text-threshold", "--nms", "--multimask", "--out", "--format", "--config", "--device", "--threads", "--timings", "--json", "--points", "--box", "--detector", "--segmenter", "--caption-mode" })
        {
            Assert.Contains(option, segment, StringComparison.Ordinal);
        }

        foreach (string sub in new[] { "list", "pull", "verify", "path" })
        {
            Assert.Contains(sub, models, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_options_are_usage_errors()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("segment", "x.png", "bear", "--box-thresold", "0.3");

        Assert.Equal(2, code);
        Assert.Contains("--box-thresold", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_sets_thresholds_and_flags_override_it()
    {
        string config = Path.Combine(_dir, "grounded.yaml");
        File.WriteAllText(config, $"""
            models:
              detector: {Fixtures.Path("gdino")}
            detect:
              box_threshold: 0.9999
              caption_mode: raw
            """);

        var (_, fromFile, _) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "bear.", "--config", config, "--json", "--device", "cpu");
        var (_, overridden, _) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "bear.", "--config", config, "--box-threshold", "0.5", "--json", "--device", "cpu");

        Assert.Equal(0, JsonDocument.Parse(fromFile).RootElement.GetProperty("objects").GetArrayLength());
        Assert.True(JsonDocument.Parse(overridden).RootElement.GetProperty("objects").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_config_file_with_an_unknown_key_is_a_usage_error()
    {
        string config = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(config, "detect:\n  box_treshold: 0.2\n");

        var (code, _, stderr) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "bear.", "--config", config, "--json");

        Assert.Equal(2, code);
        Assert.Contains("line 2", stderr, StringComparison.Ordinal);
    }

    internal static void AssertCocoDataset(string path, int expectedImages)
    {
        // The shape pycocotools' COCO() reads: images, categories, annotations with RLE segmentation, area, bbox.
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var images = root.GetProperty("images").EnumerateArray().ToArray();
        Assert.Equal(expectedImages, images.Length);
        var imageIds = images.Select(i => i.GetProperty("id").GetInt32()).ToHashSet();
        var categoryIds = root.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
        var annotationIds = new HashSet<int>();
        foreach (var a in root.GetProperty("annotations").EnumerateArray())
        {
            Assert.True(annotationIds.Add(a.GetProperty("id").GetInt32()));
            Assert.Contains(a.GetProperty("image_id").GetInt32(), imageIds);
            Assert.Contains(a.GetProperty("category_id").GetInt32(), categoryIds);
            Assert.Equal(0, a.GetProperty("iscrowd").GetInt32());
            var image = images.Single(i => i.GetProperty("id").GetInt32() == a.GetProperty("image_id").GetInt32());
            var seg = a.GetProperty("segmentation");
            Assert.Equal(image.GetProperty("height").GetInt32(), seg.GetProperty("size")[0].GetInt32());
            Assert.Equal(image.GetProperty("width").GetInt32(), seg.GetProperty("size")[1].GetInt32());
            var rle = Grounded.Masks.CocoRle.FromCompressedString(seg.GetProperty("size")[0].GetInt32(), seg.GetProperty("size")[1].GetInt32(), seg.GetProperty("counts").GetString()!);
            Assert.Equal(rle.Counts, Grounded.Masks.CocoRle.Encode(rle.Decode()).Counts); // RLE round trip
            Assert.Equal(a.GetProperty("area").GetInt64(), rle.Area());
            Assert.Equal(rle.ToBboxXywh(), a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));
        }
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
