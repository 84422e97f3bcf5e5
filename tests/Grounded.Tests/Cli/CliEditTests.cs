using System.Text.Json;
using Grounded.Imaging;
using Grounded.Masks;
using Grounded.Tests.Inpaint;
using Grounded.Tests.Support;
using static Grounded.Tests.Support.OnnxGraphBuilder;

namespace Grounded.Tests.Cli;

/// <summary>remove, replace and run (every recipe in recipes/) end to end with the fixture models and tiny inpainting graphs.</summary>
public sealed class CliEditTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-edit-").FullName;

    private string[] Models => ["--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--device", "cpu", "--models-dir", Path.Combine(_dir, "no-models"), "--no-download"];

    [Fact]
    public async Task Remove_with_no_dilation_or_feathering_changes_no_pixel_outside_the_masks()
    {
        string outDir = Path.Combine(_dir, "out");

        var (code, _, stderr) = await CliRunner.RunAsync(["remove", Fixtures.Path("images", "cat.png"), "a cat. a remote control.", "--caption-mode", "raw",
            "--box-threshold", "0.972091", "--text-threshold", "0.804485", "--dilate", "0", "--feather", "0", "--out", outDir, .. Models]);

        Assert.True(code == 0, stderr);
        var original = Fixtures.Image("cat");
        var inpainted = ImageLoader.Load(Path.Combine(outDir, "cat", "inpainted.png"));
        var union = Union(Path.Combine(outDir, "cat", "results.json"), original.Width, original.Height);
        int changed = 0;
        for (int i = 0; i < original.Width * original.Height; i++)
        {
            bool same = original.Pixels.AsSpan(i * 3, 3).SequenceEqual(inpainted.Pixels.AsSpan(i * 3, 3));
            if (!union.Get(i))
            {
                Assert.True(same, $"pixel {i} outside the masks changed");
            }
            else if (!same)
            {
                changed++;
            }
        }

        Assert.True(changed > 0);
    }

    [Fact]
    public async Task A_removal_that_changes_nothing_says_so()
    {
        // Forty speckled masks of the random-weight fixture, grown by 15 px, cover the whole image: Telea has no
        // pixel left to fill from, and the result must not pass for an edit.
        string outDir = Path.Combine(_dir, "nothing");
        var (code, _, stderr) = await CliRunner.RunAsync(["remove", Fixtures.Path("images", "cat.png"), "a cat", "--segmenter", Fixtures.Path("sam-official"), "--dilate", "15", "--out", outDir,
            "--detector", Fixtures.Path("gdino"), "--device", "cpu", "--models-dir", Path.Combine(_dir, "no-models"), "--no-download"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("warning: The edit changed no pixel", stderr, StringComparison.Ordinal);
        Assert.Contains("changed no pixel", File.ReadAllText(Path.Combine(outDir, "cat", "results.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_uses_lama_when_asked_and_replace_uses_stable_diffusion()
    {
        string lama = Lama(Path.Combine(_dir, "lama.onnx"));
        string sd = TinyStableDiffusion.Create(Path.Combine(_dir, "sd"));
        string outRemove = Path.Combine(_dir, "remove"), outReplace = Path.Combine(_dir, "replace");
        string[] detect = ["--caption-mode", "raw", "--box-threshold", "0.972091", "--text-threshold", "0.804485"];

        var (removeCode, _, removeErr) = await CliRunner.RunAsync(["remove", Fixtures.Path("images", "cat.png"), "a cat. a remote control.", "--inpainter", "lama", "--inpaint-model", lama, "--out", outRemove, .. detect, .. Models]);
        var (replaceCode, stdout, replaceErr) = await CliRunner.RunAsync(["replace", Fixtures.Path("images", "cat.png"), "a cat. a remote control.", "--with", "a red leather sofa",
            "--steps", "3", "--seed", "7", "--inpaint-model", sd, "--out", outReplace, "--json", .. detect, .. Models]);

        Assert.True(removeCode == 0, removeErr);
        Assert.True(replaceCode == 0, replaceErr);
        Assert.True(File.Exists(Path.Combine(outRemove, "cat", "inpainted.png")));
        Assert.True(File.Exists(Path.Combine(outReplace, "cat", "inpainted.png")));
        Assert.Equal(3, JsonDocument.Parse(stdout).RootElement.GetProperty("objects").GetArrayLength());
        Assert.Contains("inpaint", JsonDocument.Parse(stdout).RootElement.GetProperty("timings_ms").GetRawText(), StringComparison.Ordinal);
    }

    public static TheoryData<string> Recipes => new(Directory.GetFiles(RecipesFolder(), "*.yaml").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Recipes))]
    public async Task Every_recipe_runs_with_the_fixture_models(string recipe)
    {
        string lama = Lama(Path.Combine(_dir, "lama.onnx"));
        string sd = TinyStableDiffusion.Create(Path.Combine(_dir, "sd"));
        bool usesSd = File.ReadAllText(Path.Combine(RecipesFolder(), recipe)).Contains("inpainter: sd", StringComparison.Ordinal);
        string outDir = Path.Combine(_dir, "recipe-out");

        var (code, _, stderr) = await CliRunner.RunAsync(["run", Path.Combine(RecipesFolder(), recipe), Fixtures.Path("images", "synthetic.png"),
            "--inpaint-model", usesSd ? sd : lama, "--out", outDir, .. Models]);

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "synthetic", "inpainted.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "synthetic", "results.json")));
    }

    [Fact]
    public async Task A_recipe_with_an_unknown_key_or_step_is_a_usage_error()
    {
        string bad = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(bad, "steps:\n  - detect:\n      prompt: x\n  - smudge: {}\n");

        var (code, _, stderr) = await CliRunner.RunAsync(["run", bad, Fixtures.Path("images", "cat.png"), .. Models]);

        Assert.Equal(2, code);
        Assert.Contains("line 4", stderr, StringComparison.Ordinal);
    }

    private static string RecipesFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "recipes")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "recipes");
    }

    private static string Lama(string path) => TinyModels.Lama(path);

    private static BinaryMask Union(string resultsJson, int width, int height)
    {
        var union = new BinaryMask(width, height);
        using var doc = JsonDocument.Parse(File.ReadAllText(resultsJson));
        foreach (var o in doc.RootElement.GetProperty("objects").EnumerateArray())
        {
            var mask = CliPointPromptTests.Decode(o.GetProperty("mask"));
            for (int i = 0; i < width * height; i++)
            {
                if (mask.Get(i))
                {
                    union.Set(i, true);
                }
            }
        }

        return union;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
