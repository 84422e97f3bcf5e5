using System.Text.Json;
using Grounded.Geometry;
using Grounded.Masks;
using Grounded.Outputs;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Tests.Batch;

/// <summary>The dataset files a run writes: only the formats asked for, every object numbered once under concurrent adds.</summary>
public sealed class DatasetWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-dataset-").FullName;

    [Fact]
    public void Coco_alone_writes_no_labels_and_yolo_alone_no_coco()
    {
        string coco = Path.Combine(_dir, "coco"), yolo = Path.Combine(_dir, "yolo");
        var onlyCoco = new DatasetWriter(coco, OutputFormats.Coco, classes: ["cat"]);
        var onlyYolo = new DatasetWriter(yolo, OutputFormats.Yolo, classes: ["cat"]);

        onlyCoco.Add("a", "a.png", Image("cat", "dog"));
        onlyYolo.Add("a", "a.png", Image("cat", "dog"));
        onlyCoco.Complete();
        onlyYolo.Complete();

        Assert.False(Directory.Exists(Path.Combine(coco, "labels")));
        Assert.True(File.Exists(Path.Combine(coco, "coco.json")));
        Assert.False(File.Exists(Path.Combine(yolo, "coco.json")));
        string[] lines = File.ReadAllLines(Path.Combine(yolo, "labels", "a.txt"));
        Assert.Equal(["0", "1"], lines.Select(l => l.Split(' ')[0]));
        Assert.Equal(["cat", "dog"], File.ReadAllLines(Path.Combine(yolo, "classes.txt")));
    }

    [Fact]
    public async Task Images_added_at_once_get_distinct_ids_and_one_category_per_label()
    {
        string folder = Path.Combine(_dir, "both");
        var writer = new DatasetWriter(folder, OutputFormats.Coco | OutputFormats.Yolo);
        string[] labels = ["cat", "dog", "bird", "cow"];

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            writer.Add($"img{i}", $"img{i}.png", Image(labels[i % 4], labels[(i + 1) % 4], labels[(i + 2) % 4])))));
        writer.Complete();

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "coco.json")));
        var annotations = doc.RootElement.GetProperty("annotations").EnumerateArray().ToList();
        var categories = doc.RootElement.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("name").GetString());
        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt32(), i => i.GetProperty("file_name").GetString()!);
        Assert.Equal(Enumerable.Range(1, 120), annotations.Select(a => a.GetProperty("id").GetInt32()).Order());
        Assert.Equal(labels.Order(), categories.Values.Order());
        foreach (var image in images)
        {
            int i = int.Parse(image.Value[3..^4], System.Globalization.CultureInfo.InvariantCulture);
            var mine = annotations.Where(a => a.GetProperty("image_id").GetInt32() == image.Key).Select(a => categories[a.GetProperty("category_id").GetInt32()]);
            Assert.Equal([labels[i % 4], labels[(i + 1) % 4], labels[(i + 2) % 4]], mine);
            var yoloClasses = File.ReadAllLines(Path.Combine(folder, "labels", $"img{i}.txt")).Select(l => categories[int.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) + 1]);
            Assert.Equal(mine, yoloClasses);
        }
    }

    [Fact]
    public void The_coco_file_is_the_documents_serialisation_and_its_spool_never_shows_in_the_folder()
    {
        string folder = Path.Combine(_dir, "spool");
        using (var writer = new DatasetWriter(folder, OutputFormats.Coco, runId: "run-1", classes: ["dog"]))
        {
            for (int i = 0; i < 30; i++)
            {
                writer.Add($"img{i}", $"img{i}.png", Image("cat", "dog"));
            }

            if (!OperatingSystem.IsWindows())
            {
                // Unlinked as soon as it was made (Windows deletes it on close instead).
                Assert.Empty(Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
            }

            string coco = writer.Complete()!;

            byte[] written = File.ReadAllBytes(coco);
            var doc = JsonSerializer.Deserialize(written, GroundedJsonContext.Default.CocoJson)!;
            Assert.Equal(written, JsonSerializer.SerializeToUtf8Bytes(doc, GroundedJsonContext.Default.CocoJson));
            Assert.Equal("run-1", doc.Info.RunId);
            Assert.Equal(30, doc.Images.Count);
            Assert.Equal(Enumerable.Range(1, 60), doc.Annotations.Select(a => a.Id));
            Assert.Equal(["dog", "cat"], doc.Categories.Select(c => c.Name));
            var first = Image("cat").Objects[0].Mask!;
            Assert.Equal(CocoRle.Encode(first).Counts, doc.Annotations[0].Segmentation.Counts);
        }

        Assert.Equal([Path.Combine(folder, "coco.json")], Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_run_that_never_completes_leaves_nothing()
    {
        string folder = Path.Combine(_dir, "abandoned");
        using (var writer = new DatasetWriter(folder, OutputFormats.Coco))
        {
            writer.Add("a", "a.png", Image("cat"));
        }

        Assert.Empty(Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
    }

    /// <summary>A 40×30 image with one filled rectangle per label.</summary>
    private static ImageResult Image(params string[] labels)
    {
        var objects = labels.Select((label, i) =>
        {
            var mask = new BinaryMask(40, 30);
            for (int y = 2 + i; y < 12 + i; y++)
            {
                for (int x = 5 * i; x < (5 * i) + 8; x++)
                {
                    mask[x, y] = true;
                }
            }

            return new GroundedObject(label, label, 0.9f, new BoxXyxy(5 * i, 2 + i, (5 * i) + 8, 12 + i)) { Mask = mask };
        }).ToList();
        return new ImageResult("x.png", 40, 30, objects, new Dictionary<string, double>(), []);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
