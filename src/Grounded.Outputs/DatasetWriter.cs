using Grounded.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grounded.Masks;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// Datasets for a whole run: COCO instances (coco.json with RLE segmentations) and YOLO segmentation labels
/// (labels/&lt;name&gt;.txt with normalised polygons, classes.txt). Categories are the prompt's classes in order
/// (<paramref name="classes"/>), then any other label in order of first use, so every shard of a run numbers them alike.
/// </summary>
public sealed class DatasetWriter(string outputFolder, OutputFormats formats, string? runId = null, IReadOnlyList<string>? classes = null) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<string> _categories = [.. (classes ?? []).Distinct(StringComparer.Ordinal)];
    private readonly List<CocoImageJson> _images = [];
    private AnnotationSpool? _annotations;
    private int _nextAnnotation = 1;

    /// <summary>The COCO file's name in the output folder (default coco.json; a shard writes coco.shard-I-of-N.json).</summary>
    public string CocoFileName { get; init; } = "coco.json";

    /// <summary>The YOLO class list's name in the output folder (default classes.txt).</summary>
    public string ClassesFileName { get; init; } = "classes.txt";

    /// <summary>True when any dataset format was requested.</summary>
    public bool Enabled => formats.HasFlag(OutputFormats.Coco) || formats.HasFlag(OutputFormats.Yolo);

    /// <summary>Adds one image's objects; writes its YOLO label file at once.</summary>
    public void Add(string name, string fileName, ImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!Enabled)
        {
            return;
        }

        // The rows are made outside the lock (tracing outlines and encoding RLE cost more than the model calls' glue),
        // and only those of the formats asked for; the lock only numbers them.
        bool coco = formats.HasFlag(OutputFormats.Coco), yolo = formats.HasFlag(OutputFormats.Yolo);
        var masked = result.Objects.Where(o => o.Mask is not null).ToList();
        var encoded = coco ? masked.Select(o => CocoRle.Encode(o.Mask!)).ToList() : null;
        int[] categories;
        lock (_lock)
        {
            int imageId = _images.Count + 1;
            _images.Add(new CocoImageJson(imageId, fileName, result.Width, result.Height));
            categories = [.. masked.Select(o => CategoryOf(o.Label))];
            for (int i = 0; encoded is not null && i < masked.Count; i++)
            {
                _annotations ??= new AnnotationSpool(outputFolder);
                _annotations.Add(DatasetRows.Annotation(_nextAnnotation++, imageId, categories[i], masked[i].Score, encoded[i]));
            }
        }

        if (yolo)
        {
            var labels = new StringBuilder();
            for (int i = 0; i < masked.Count; i++)
            {
                DatasetRows.AppendYolo(labels, categories[i] - 1, masked[i].Mask!, result.Width, result.Height);
            }

            AtomicFile.WriteText(Path.Combine(outputFolder, "labels", name + ".txt"), labels.ToString());
        }
    }

    /// <summary>
    /// Writes coco.json and classes.txt for everything added. A coco.json another run identity wrote is left alone:
    /// this run's goes to coco.&lt;run id&gt;.json, so two runs into one folder never mix their datasets.
    /// </summary>
    /// <returns>The COCO file written, or null.</returns>
    public string? Complete()
    {
        if (!Enabled)
        {
            return null;
        }

        string? written = null;
        lock (_lock)
        {
            if (formats.HasFlag(OutputFormats.Coco))
            {
                written = Path.Combine(outputFolder, CocoFileName);
                if (runId is not null && OtherRun(written) is not null)
                {
                    written = Path.Combine(outputFolder, $"{Path.GetFileNameWithoutExtension(CocoFileName)}.{runId}.json");
                }

                AtomicFile.Write(written, WriteCoco);
            }

            if (formats.HasFlag(OutputFormats.Yolo))
            {
                AtomicFile.WriteText(Path.Combine(outputFolder, ClassesFileName), string.Join('\n', _categories) + "\n");
            }
        }

        return written;
    }

    /// <summary>The COCO document (as <see cref="CocoJson"/> serialises), its annotations streamed from the spool.</summary>
    private void WriteCoco(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WritePropertyName("info");
        JsonSerializer.Serialize(json, new CocoInfoJson("Grounded segmentation", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), runId), GroundedJsonContext.Default.CocoInfoJson);
        json.WritePropertyName("images");
        JsonSerializer.Serialize(json, _images, GroundedJsonContext.Default.IReadOnlyListCocoImageJson);
        json.WritePropertyName("categories");
        JsonSerializer.Serialize(json, [.. _categories.Select((c, i) => new CocoCategoryJson(i + 1, c, "object"))], GroundedJsonContext.Default.IReadOnlyListCocoCategoryJson);
        json.WriteStartArray("annotations");
        _annotations?.CopyElementsTo(json, stream);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Gives back the spooled annotations (a run that never completes leaves no file either way).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _annotations?.Dispose();
            _annotations = null;
        }
    }

    /// <summary>The run identity of an existing COCO file when it is not this run's.</summary>
    private string? OtherRun(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            string? other = JsonSerializer.Deserialize(File.ReadAllBytes(path), GroundedJsonContext.Default.CocoJson)?.Info.RunId;
            return other == runId ? null : other ?? "unknown";
        }
        catch (JsonException)
        {
            return "unknown";
        }
    }

    private int CategoryOf(string label)
    {
        int i = _categories.IndexOf(label);
        if (i < 0)
        {
            _categories.Add(label);
            i = _categories.Count - 1;
        }

        return i + 1;
    }
}
