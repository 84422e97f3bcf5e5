using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>
/// Bad options and prompts are usage errors (exit 2) found before any model loads: the segmenter named here does
/// not exist, so loading it would be a model error (exit 4).
/// </summary>
public sealed class CliInputCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-checks-").FullName;

    private string Missing => Path.Combine(_dir, "no-such-model");

    [Theory]
    [InlineData("--points", "5000,5000", "outside the 450x300 image")]
    [InlineData("--points", "NaN,5", "finite numbers")]
    [InlineData("--points", "10,10:7", "point label is 1")]
    [InlineData("--box", "600,400,700,500", "does not overlap")]
    [InlineData("--box", "1,2,3", "x0,y0,x1,y1")]
    public async Task A_bad_click_or_box_is_a_usage_error_before_models_load(string option, string value, string expected)
    {
        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), option, value, "--segmenter", Missing, "--json");

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_box_reaching_outside_is_clipped_with_a_warning()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "--box", "400,250,600,400", "--segmenter", Fixtures.Path("sam"), "--json", "--device", "cpu");

        Assert.True(code == 0, stderr);
        Assert.Contains("clipped to [400, 250, 450, 300]", stderr, StringComparison.Ordinal);
        Assert.Contains("\"box\":[400,250,450,300]", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "does not overlap")]
    [InlineData(6, null)]
    public async Task A_box_is_checked_against_the_image_as_shown_with_its_exif_rotation(ushort orientation, string? expected)
    {
        // Stored 60 wide and 30 high; orientation 6 shows it 30 wide and 60 high, where the box lies.
        using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(60, 30))
        {
            image.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
            image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation, orientation);
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, Path.Combine(_dir, "turned.png"));
        }

        var (code, _, stderr) = await CliRunner.RunAsync("segment", Path.Combine(_dir, "turned.png"), "--box", "5,35,25,55", "--segmenter", Missing, "--json");

        if (expected is null)
        {
            Assert.Equal(4, code); // past the check: the missing segmenter is what stops it
        }
        else
        {
            Assert.Equal(2, code);
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_image_too_elongated_for_the_detector_is_one_input_error_line_and_writes_nothing()
    {
        // 1x5000: Grounding DINO's resize (shortest side 800, longest at most 1333) rounds its width to 0 pixels.
        string path = Path.Combine(_dir, "sliver.png");
        using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(1, 5000))
        {
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, path);
        }

        string output = Path.Combine(_dir, "out");

        var (code, _, stderr) = await CliRunner.RunAsync("segment", path, "cat", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--out", output, "--device", "cpu");

        Assert.Equal(3, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("sliver.png: The image is 1x5000, too elongated for Grounding DINO", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(output, "sliver")));
    }

    [Fact]
    public async Task A_folder_with_a_pipe_named_like_an_image_fails_that_one_and_does_the_rest()
    {
        string folder = Path.Combine(_dir, "photos");
        Directory.CreateDirectory(folder);
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(folder, "b.png"));
        Assert.Equal(0, (await Processes.RunAsync("mkfifo", Path.Combine(folder, "a.png"))).Code);
        string output = Path.Combine(_dir, "out");

        // Hashing or decoding the pipe would wait for a writer for ever: the run must end on its own.
        var run = CliRunner.RunAsync("segment", folder, "cat", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--out", output, "--device", "cpu");
        var (code, _, stderr) = await run.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(3, code);
        Assert.Contains("a.png' is empty or not a regular file (a pipe or a device)", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "b", "results.json")));
        Assert.False(Directory.Exists(Path.Combine(output, "a")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task An_empty_output_folder_is_a_usage_error_before_models_load(string folder)
    {
        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "cat", "--segmenter", Missing, "--out", folder);

        Assert.Equal(2, code);
        Assert.Contains("The output folder is empty", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_folder_that_is_a_file_is_a_usage_error_before_models_load()
    {
        string file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "mine");

        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "cat", "--segmenter", Missing, "--out", file);

        Assert.Equal(2, code); // not 4: the missing segmenter is never reached
        Assert.Contains($"The output folder '{file}' is a file", stderr, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_made_is_a_usage_error_before_models_load()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc takes no new folders, even for root; elsewhere there is no such sure place
        }

        var (code, _, stderr) = await CliRunner.RunAsync("segment", Fixtures.Path("images", "cat.png"), "cat", "--segmenter", Missing, "--out", "/proc/grounded-out");

        Assert.Equal(2, code);
        Assert.Contains("The output folder '/proc/grounded-out' cannot be written: it takes no new folders in '/proc'.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_image_with_a_box_is_one_line_naming_it_once_and_writes_nothing()
    {
        byte[] png = File.ReadAllBytes(Fixtures.Path("images", "cat.png"));
        string path = Path.Combine(_dir, "half.png");
        File.WriteAllBytes(path, png[..(png.Length / 2)]);
        string output = Path.Combine(_dir, "out");

        var (code, _, stderr) = await CliRunner.RunAsync("segment", path, "--box", "10,10,100,100", "--segmenter", Fixtures.Path("sam"), "--out", output, "--device", "cpu");

        Assert.Equal(3, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("truncated", line, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, System.Text.RegularExpressions.Regex.Escape(path)));
        Assert.False(Directory.Exists(Path.Combine(output, "half")));
    }

    [Theory]
    [InlineData("everything", "--points-per-side", "10000", "--points-per-side must be between 1 and 256")]
    [InlineData("everything", "--crop-layers", "-1", "--crop-layers must be between 0 and 4")]
    [InlineData("everything", "--pred-iou-thresh", "NaN", "--pred-iou-thresh must be between 0 and 1")]
    [InlineData("everything", "--parallel", "0", "--parallel must be between 1 and 64")]
    [InlineData("segment", "--graph-opt", "bogus", "--graph-opt is ")]
    [InlineData("everything", "--threads", "100000", "--threads must be between 0 and")]
    [InlineData("segment", "--box-threshold", "7", "--box-threshold must be between 0 and 1")]
    [InlineData("segment", "--nms", "sometimes", "--nms is none, class or agnostic")]
    [InlineData("segment", "--format", "overlay,gif", "--format is none, overlay")]
    [InlineData("remove", "--inpainter", "bogus", "--inpainter is classical, lama or sd")]
    [InlineData("remove", "--dilate", "-4", "--dilate must be between 0 and 1024")]
    [InlineData("segment", "--resume", "maybe", "--resume is auto or never")]
    public async Task An_out_of_range_or_unknown_option_is_a_usage_error_before_models_load(string command, string option, string value, string expected)
    {
        string[] args = command switch
        {
            "everything" => ["everything", Fixtures.Path("images", "cat.png"), "--segmenter", Missing, option, value],
            "remove" => ["remove", Fixtures.Path("images", "cat.png"), "a cat.", "--detector", Missing, "--segmenter", Missing, option, value],
            _ => ["segment", Fixtures.Path("images", "cat.png"), "a cat.", "--detector", Missing, "--segmenter", Missing, option, value],
        };

        var (code, _, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parse_error_points_at_the_subcommands_help()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("everything", "x.png", "--points-per-sid", "4");

        Assert.Equal(2, code);
        Assert.Contains("Run 'grounded everything --help'", stderr, StringComparison.Ordinal);
        var (_, _, nested) = await CliRunner.RunAsync("dataset", "merge", "out");
        Assert.Contains("Run 'grounded dataset merge --help'", nested, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detect_writes_no_mask_files()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("detect", Fixtures.Path("images", "cat.png"), "a cat.", "--detector", Fixtures.Path("gdino"), "--box-threshold", "0.9", "--out", _dir, "--format", "all", "--device", "cpu");

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(_dir, "cat", "results.json")));
        Assert.False(File.Exists(Path.Combine(_dir, "cat", "index.png")));
        Assert.False(File.Exists(Path.Combine(_dir, "cat", "mask.json")));
    }

    [Fact]
    public async Task Globs_and_recursive_folders_never_follow_linked_folders()
    {
        string root = Path.Combine(_dir, "photos");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(root, "sub", "cat.png"));
        File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(root, "synthetic.png"));
        Directory.CreateSymbolicLink(Path.Combine(root, "sub", "loop"), root);
        Directory.CreateSymbolicLink(Path.Combine(root, "again"), Path.Combine(root, "sub"));

        var glob = Grounded.Batch.Inputs.InputExpander.Expand(Path.Combine(root, "**", "*.png"));
        var recursive = Grounded.Batch.Inputs.InputExpander.Expand(root, recursive: true);
        var flat = Grounded.Batch.Inputs.InputExpander.Expand(root);

        Assert.Equal([Path.Combine(root, "sub", "cat.png"), Path.Combine(root, "synthetic.png")], glob);
        Assert.Equal(glob, recursive);
        Assert.Equal([Path.Combine(root, "synthetic.png")], flat);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
