using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>
/// The CLI's outputs on the fixture cases, byte for byte (PNGs pixel for pixel), against golden hashes recorded
/// before the code was reshaped (tests/fixtures/golden/cli-outputs.json; PNG pixel hashes recorded with the PNG
/// encoder of that time). Only what must vary is normalised: the temporary and fixture folders in text outputs,
/// timings, COCO's creation date, and
/// the run identity (it fingerprints the model files, so it differs between clones). Set GROUNDED_RECORD_GOLDEN=1 to record them again after an intended change.
/// </summary>
public sealed partial class CliGoldenOutputTests : IDisposable
{
    private static readonly string GoldenPath = Fixtures.Path("golden", "cli-outputs.json");

    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-golden-").FullName;

    public static TheoryData<string> Cases => [.. CaseArgs.Keys];

    private static Dictionary<string, Func<string, string[]>> CaseArgs => new()
    {
        ["segment-text-all-formats"] = o => ["segment", Fixtures.Path("images", "cat.png"), "a cat. a remote control.", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"),
            "--caption-mode", "raw", "--box-threshold", "0.972091", "--text-threshold", "0.804485", "--format", "all", "--out", o, "--device", "cpu"],
        ["segment-text-json-multimask"] = o => ["segment", Fixtures.Path("images", "astronaut.png"), "a person. a rocket.", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"),
            "--box-threshold", "0.9", "--text-threshold", "0.5", "--multimask", "--json", "--device", "cpu"],
        ["segment-clicks-official"] = o => ["segment", Fixtures.Path("images", "cat.png"), "--points", "200,150:1", "--points", "60,40:0", "--box", "100,60,380,280",
            "--segmenter", Fixtures.Path("sam-official"), "--multimask", "--out", o, "--device", "cpu"],
        ["segment-boxes-hf"] = o => ["segment", Fixtures.Path("images", "synthetic.png"), "--box", "10,10,120,90", "--box", "40,30,200,150",
            "--segmenter", Fixtures.Path("sam"), "--json", "--out", o, "--format", "json,masks,cutouts,overlay", "--device", "cpu"],
        ["detect-json"] = o => ["detect", Fixtures.Path("images", "synthetic.png"), "a red square. a circle.", "--detector", Fixtures.Path("gdino"),
            "--box-threshold", "0.5", "--text-threshold", "0.3", "--nms", "agnostic", "--json", "--out", o, "--device", "cpu"],
        ["everything"] = o => ["everything", Fixtures.Path("images", "synthetic.png"), "--segmenter", Fixtures.Path("sam-official"), "--points-per-side", "4",
            "--pred-iou-thresh", "0", "--stability-thresh", "0", "--out", o, "--format", "all", "--device", "cpu"],
        ["remove-classical"] = o => ["remove", Fixtures.Path("images", "cat.png"), "a cat. a remote control.", "--caption-mode", "raw", "--box-threshold", "0.972091",
            "--text-threshold", "0.804485", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--inpainter", "classical", "--out", o, "--device", "cpu"],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_outputs_equal_the_recorded_ones(string name)
    {
        string outDir = Path.Combine(_dir, name);
        var (code, stdout, stderr) = await CliRunner.RunAsync(CaseArgs[name](outDir));
        Assert.True(code == 0, stderr);

        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["<stdout>"] = Hash(Normalise(Encoding.UTF8.GetBytes(stdout), ".json")) };
        if (Directory.Exists(outDir))
        {
            foreach (string file in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(outDir, file).Replace('\\', '/');
                actual[relative] = Hash(Normalise(File.ReadAllBytes(file), Path.GetExtension(file)));
            }
        }

        var golden = File.Exists(GoldenPath) ? JsonNode.Parse(File.ReadAllText(GoldenPath))!.AsObject() : [];
        if (Environment.GetEnvironmentVariable("GROUNDED_RECORD_GOLDEN") == "1")
        {
            lock (typeof(CliGoldenOutputTests))
            {
                golden = File.Exists(GoldenPath) ? JsonNode.Parse(File.ReadAllText(GoldenPath))!.AsObject() : [];
                golden[name] = JsonSerializer.SerializeToNode(actual);
                Directory.CreateDirectory(Path.GetDirectoryName(GoldenPath)!);
                var sorted = new JsonObject(golden.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
                File.WriteAllText(GoldenPath, sorted.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }

            return;
        }

        Assert.True(golden.ContainsKey(name), $"No golden outputs for '{name}': run with GROUNDED_RECORD_GOLDEN=1.");
        var expected = golden[name]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys);
        foreach (var (file, hash) in expected)
        {
            Assert.True(hash == actual[file], $"{name}: {file} differs from the recorded output.");
        }
    }

    private byte[] Normalise(byte[] bytes, string extension)
    {
        if (extension == ".png")
        {
            // Pictures are compared by their pixels: how a PNG is compressed is not an output.
            using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(bytes);
            var pixels = new byte[8 + (image.Width * image.Height * 4)];
            BitConverter.TryWriteBytes(pixels.AsSpan(0, 4), image.Width);
            BitConverter.TryWriteBytes(pixels.AsSpan(4, 4), image.Height);
            image.CopyPixelDataTo(pixels.AsSpan(8));
            return pixels;
        }

        if (extension is not (".json" or ".txt"))
        {
            return bytes;
        }

        string text = Encoding.UTF8.GetString(bytes);
        text = text.Replace(JsonEscaped(_dir), "<tmp>", StringComparison.Ordinal).Replace(JsonEscaped(Fixtures.Root), "<fixtures>", StringComparison.Ordinal);
        text = text.Replace(_dir, "<tmp>", StringComparison.Ordinal).Replace(Fixtures.Root, "<fixtures>", StringComparison.Ordinal);
        text = Timings().Replace(text, "\"timings_ms\":{}");
        text = RunBlock().Replace(text, string.Empty);
        text = RunId().Replace(text, string.Empty);
        return Encoding.UTF8.GetBytes(CreationDate().Replace(text, "\"date_created\":\"<date>\""));
    }

    private static string JsonEscaped(string path) => JsonSerializer.Serialize(path)[1..^1];

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [GeneratedRegex("\"timings_ms\":\\s*\\{[^}]*\\}")]
    private static partial Regex Timings();

    // results.json ends with what produced it (absolute model paths, fingerprints); COCO names its run.
    [GeneratedRegex(",\\s*\"run\":\\s*\\{.*\\}(?=\\s*\\}\\s*$)", RegexOptions.Singleline)]
    private static partial Regex RunBlock();

    [GeneratedRegex(",\"run_id\":\"[0-9a-f]+\"")]
    private static partial Regex RunId();

    [GeneratedRegex("\"date_created\":\\s*\"[0-9-]+\"")]
    private static partial Regex CreationDate();

    public void Dispose() => Directory.Delete(_dir, true);
}
