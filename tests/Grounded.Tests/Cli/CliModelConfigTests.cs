using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>A model folder whose JSON config is broken is a model error (exit 4) naming the file and the key, never .NET's text.</summary>
public sealed class CliModelConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-config-").FullName;

    [Theory]
    [InlineData("sam", "preprocessor_config.json", "{\"image_mean\": [1], \"image_std\": [0.2, 0.2, 0.2]}", "'image_mean' must be 3 numbers")]
    [InlineData("sam", "preprocessor_config.json", "[1, 2, 3]", "not a JSON object")]
    [InlineData("sam", "preprocessor_config.json", "{\"size\": {\"longest_edge\": \"big\"}}", "'size.longest_edge' has a value of the wrong type")]
    [InlineData("sam", "preprocessor_config.json", "{\"image_mean\": [0.5, 0.5", "line")]
    [InlineData("gdino", "preprocessor_config.json", "{\"image_std\": [0, 1, 1]}", "'image_std' must be 3 positive numbers")]
    [InlineData("gdino", "config.json", "{\"max_text_len\": 256,,}", "not a JSON object")]
    [InlineData("gdino", "tokenizer_config.json", "{\"do_lower_case\": \"yes\"}", "'do_lower_case' has a value of the wrong type")]
    public async Task A_broken_model_config_names_the_file_and_key_and_exits_4(string model, string file, string text, string expected)
    {
        string folder = Path.Combine(_dir, model);
        Directory.CreateDirectory(folder);
        foreach (string f in Directory.GetFiles(Fixtures.Path(model)))
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        }

        await File.WriteAllTextAsync(Path.Combine(folder, file), text);
        string[] args = model == "sam"
            ? ["segment", Fixtures.Path("images", "cat.png"), "--points", "100,100", "--segmenter", folder, "--json", "--device", "cpu"]
            : ["detect", Fixtures.Path("images", "cat.png"), "a cat.", "--detector", folder, "--json", "--device", "cpu"];

        var (code, _, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(4, code);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
