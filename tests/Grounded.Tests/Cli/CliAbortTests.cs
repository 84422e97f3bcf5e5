using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>
/// A folder run stopped by an error while images are in flight must wait for them before the models are disposed:
/// run as a real process, many times, it never dies of a native crash (exit 134/139).
/// </summary>
public sealed class CliAbortTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-abort-").FullName;

    [Fact]
    public async Task A_run_stopped_by_an_error_with_images_in_flight_never_crashes()
    {
        string input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        for (int i = 0; i < 6; i++)
        {
            File.Copy(Fixtures.Path("images", i % 2 == 0 ? "cat.png" : "synthetic.png"), Path.Combine(input, $"{i}.png"));
        }

        string notAFolder = Path.Combine(_dir, "out");
        await File.WriteAllTextAsync(notAFolder, "a file where the output folder should be");
        var codes = new List<int>();
        for (int run = 0; run < 20; run++)
        {
            codes.Add(await RunCliAsync("segment", input, "a cat.", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"),
                "--box-threshold", "0.9", "--out", notAFolder, "--parallel", "2", "--device", "cpu"));
        }

        Assert.All(codes, code => Assert.True(code is > 0 and < 128, $"exit codes: {string.Join(", ", codes)}"));
    }

    private static async Task<int> RunCliAsync(params string[] args) => (await CliProcess.RunAsync(args)).Code;

    public void Dispose() => Directory.Delete(_dir, true);
}
