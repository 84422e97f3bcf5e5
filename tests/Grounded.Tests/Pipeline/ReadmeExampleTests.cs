using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Outputs;
using Grounded.Pipeline;
using Grounded.Segmenter;
using Grounded.Tests.Support;

namespace Grounded.Tests.Pipeline;

/// <summary>The README's "As a library" example, run on the fixture models; a second test keeps the README's copy in step.</summary>
public sealed class ReadmeExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-readme-").FullName;

    [Fact]
    public async Task The_library_example_finds_masks_and_saves_pngs()
    {
        string detectorFolder = Fixtures.Path("gdino"), segmenterFolder = Fixtures.Path("sam"), photo = Fixtures.Path("images", "cat.png"), outFolder = _dir;

        // README:begin
        var runtime = new RuntimeOptions { Device = ExecutionDevice.Auto };   // one device setting for every stage
        using var detector = GroundingDinoDetector.Create(detectorFolder, new DetectorOptions { Runtime = runtime });
        using var segmenter = SamSegmenter.Create(segmenterFolder, new SegmenterOptions { Runtime = runtime });
        var pipeline = GroundedPipeline.Builder()
            .Detect(detector, DetectionRequest.For("a cat. a remote control.", new DetectOptions { BoxThreshold = 0.95f, TextThreshold = 0.9f }))
            .Segment(segmenter)
            .UseInstrumentation()                                             // timings, traces and logs for every stage
            .Build();
        var image = ImageLoader.Load(photo);
        var result = await pipeline.RunAsync(image);                          // an in-memory image needs no path
        foreach (var o in result.Objects)
        {
            Console.WriteLine($"{o.Label} {o.Score:0.00} {o.Box} {o.Mask?.Area()} px");
        }

        ResultImages.SaveMasks(result, Path.Combine(outFolder, "masks"));
        ResultImages.SaveCutouts(image, result, Path.Combine(outFolder, "cutouts"));
        ResultImages.SaveOverlay(image, result, Path.Combine(outFolder, "overlay.png"));
        // README:end

        Assert.NotEmpty(result.Objects);
        Assert.All(result.Objects, o => Assert.True(o.Mask!.Area() > 0));
        Assert.Equal(result.Objects.Count, Directory.GetFiles(Path.Combine(_dir, "masks"), "*.png").Length);
        using var overlay = SixLabors.ImageSharp.Image.Load(Path.Combine(_dir, "overlay.png"));
        Assert.Equal((image.Width, image.Height), (overlay.Width, overlay.Height));
    }

    [Fact]
    public void The_readme_shows_the_tested_example()
    {
        string root = Path.GetFullPath(Path.Combine(Fixtures.Root, "..", ".."));
        string[] tested = Region(File.ReadAllLines(Path.Combine(root, "tests", "Grounded.Tests", "Pipeline", "ReadmeExampleTests.cs")), "// README:begin", "// README:end");
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int section = readme.IndexOf("## As a library", StringComparison.Ordinal);
        string[] block = Region(readme[section..].Split('\n'), "```csharp", "```");
        string[] shown = [.. block
            .Where(l => !(l.TrimStart().StartsWith("using ", StringComparison.Ordinal) && !l.Contains('=', StringComparison.Ordinal)))
            .Select(l => l.Replace("\"models/grounding-dino-tiny\"", "detectorFolder", StringComparison.Ordinal)
                .Replace("\"models/slimsam-77-uniform\"", "segmenterFolder", StringComparison.Ordinal)
                .Replace("\"photo.jpg\"", "photo", StringComparison.Ordinal)
                .Replace("\"out\"", "outFolder", StringComparison.Ordinal)
                .Replace("\"the bear\", new DetectOptions { BoxThreshold = 0.35f }", "\"a cat. a remote control.\", new DetectOptions { BoxThreshold = 0.95f, TextThreshold = 0.9f }", StringComparison.Ordinal))];

        Assert.Equal(tested.Select(l => l.Trim()).Where(l => l.Length > 0), shown.Select(l => l.Trim()).Where(l => l.Length > 0));
        Assert.True(block.Length < 30, $"the example is {block.Length} lines");
    }

    private static string[] Region(string[] lines, string begin, string end)
    {
        int start = Array.FindIndex(lines, l => l.Trim().StartsWith(begin, StringComparison.Ordinal)) + 1;
        int stop = Array.FindIndex(lines, start, l => l.Trim() == end);
        return lines[start..stop];
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
