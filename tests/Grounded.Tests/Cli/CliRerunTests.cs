using System.Text.Json;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>Reruns into one --out: a result is reused only when the same run made it from the same input; never stale.</summary>
public sealed class CliRerunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-rerun-").FullName;

    private string Out => Path.Combine(_dir, "out");

    [Fact]
    public async Task The_same_settings_resume_and_other_settings_recompute_without_stale_files()
    {
        string cat = CopyImage("cat.png", "in");

        var first = await Segment(cat, "a cat. a remote control.", "0.972091");
        Assert.Equal(0, first.Code);
        Assert.Equal(3, Objects("cat"));
        Assert.True(File.Exists(Path.Combine(Out, "cat", "masks", "02.png")));

        var same = await Segment(cat, "a cat. a remote control.", "0.972091");
        Assert.Contains("0 processed, 1 already done", same.Err, StringComparison.Ordinal);

        // Another prompt and threshold: recomputed, and the three old masks are gone with the old folder.
        var other = await Segment(cat, "person.", "0.9999");
        Assert.Contains("1 processed, 0 already done", other.Err, StringComparison.Ordinal);
        Assert.Equal(0, Objects("cat"));
        Assert.False(Directory.Exists(Path.Combine(Out, "cat", "masks")));
        Assert.Empty(Directory.GetDirectories(Out, ".*"));
    }

    [Fact]
    public async Task More_formats_on_a_rerun_are_written()
    {
        string cat = CopyImage("cat.png", "in");
        await Segment(cat, "a cat.", "0.972091", "--format", "json");
        Assert.False(File.Exists(Path.Combine(Out, "cat", "overlay.png")));

        var rerun = await Segment(cat, "a cat.", "0.972091", "--format", "all");

        Assert.Contains("1 processed", rerun.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Out, "cat", "overlay.png")));
    }

    [Fact]
    public async Task Changed_input_bytes_recompute_and_overwrite_redoes_everything()
    {
        string cat = CopyImage("cat.png", "in");
        await Segment(cat, "a cat.", "0.972091");
        File.Copy(Fixtures.Path("images", "synthetic.png"), Path.Combine(_dir, "in", "cat.png"), overwrite: true);

        var changed = await Segment(cat, "a cat.", "0.972091");
        var again = await Segment(cat, "a cat.", "0.972091", "--overwrite");

        Assert.Contains("1 processed, 0 already done", changed.Err, StringComparison.Ordinal);
        Assert.Contains("1 processed, 0 already done", again.Err, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "cat", "results.json")));
        Assert.Equal(Fixtures.Image("synthetic").Width, doc.RootElement.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Same_named_images_from_two_folders_keep_their_own_folders()
    {
        string a = CopyImage("cat.png", "a");
        string b = CopyImage("synthetic.png", "b", "cat.png");

        await Segment(a, "a cat.", "0.972091");
        await Segment(b, "a cat.", "0.972091");
        var rerunA = await Segment(a, "a cat.", "0.972091");

        var folders = Directory.GetDirectories(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, folders.Count);
        Assert.Equal("cat", folders[0]);
        Assert.StartsWith("cat@", folders[1], StringComparison.Ordinal);
        Assert.Contains("0 processed, 1 already done", rerunA.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_runs_into_one_out_never_mix_their_datasets()
    {
        string cat = CopyImage("cat.png", "in");
        await Segment(cat, "a cat. a remote control.", "0.972091", "--format", "json,coco");

        var second = await Segment(cat, "a remote control.", "0.972091", "--format", "json,coco");

        var files = Directory.GetFiles(Out, "coco*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, files.Count);
        Assert.Contains("belongs to another run", second.Err, StringComparison.Ordinal);
        using var first = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "coco.json")));
        using var other = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, files.Single(f => f != "coco.json")!)));
        Assert.NotEqual(first.RootElement.GetProperty("info").GetProperty("run_id").GetString(), other.RootElement.GetProperty("info").GetProperty("run_id").GetString());
    }

    private async Task<(int Code, string Err)> Segment(string input, string prompt, string boxThreshold, params string[] more)
    {
        // A folder input gives the summary line that counts processed and resumed images.
        var (code, _, err) = await CliRunner.RunAsync(["segment", Path.GetDirectoryName(input)!, prompt, "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"),
            "--caption-mode", "raw", "--box-threshold", boxThreshold, "--text-threshold", "0.8", "--out", Out, "--device", "cpu", .. more]);
        return (code, err);
    }

    private int Objects(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, name, "results.json")));
        return doc.RootElement.GetProperty("objects").GetArrayLength();
    }

    private string CopyImage(string fixture, string folder, string? name = null)
    {
        string dir = Path.Combine(_dir, folder);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name ?? fixture);
        File.Copy(Fixtures.Path("images", fixture), path, overwrite: true);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
