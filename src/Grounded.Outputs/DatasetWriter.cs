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
/// (labels/&lt;name&gt;.txt with normalised polygons, classes.txt). Categories are numbered in order of first use.
/// </summary>
public sealed class DatasetWriter(string outputFolder, OutputFormats formats, string? runId = null)
{
    private readonly Lock _lock = new();
    private readonly List<string> _categories = [];
    private readonly List<CocoImageJson> _images = [];
    private readonly List<CocoAnnotationJson> _annotations = [];
    private int _nextAnnotation = 1;

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

        var yolo = new StringBuilder();
        lock (_lock)
        {
            int imageId = _images.Count + 1;
            _images.Add(new CocoImageJson(imageId, fileName, result.Width, result.Height));
            foreach (var o in result.Objects)
            {
                if (o.Mask is not { } mask)
                {
                    continue;
                }

                int category = CategoryOf(o.Label);
                var rle = CocoRle.Encode(mask);
                _annotations.Add(new CocoAnnotationJson(_nextAnnotation++, imageId, category, rle, rle.Area(), rle.ToBboxXywh(), 0, Math.Round((double)o.Score, 6)));
                foreach (var polygon in MaskContours.Trace(mask, minArea: 4))
                {
                    if (polygon.Count < 3)
                    {
                        continue;
                    }

                    yolo.Append((category - 1).ToString(CultureInfo.InvariantCulture));
                    foreach (var (x, y) in polygon)
                    {
                        yolo.Append(CultureInfo.InvariantCulture, $" {(double)x / result.Width:0.######} {(double)y / result.Height:0.######}");
                    }

                    yolo.Append('\n');
                }
            }
        }

        if (formats.HasFlag(OutputFormats.Yolo))
        {
            AtomicFile.WriteText(Path.Combine(outputFolder, "labels", name + ".txt"), yolo.ToString());
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
                var doc = new CocoJson(
                    new CocoInfoJson("Grounded segmentation", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), runId),
                    _images,
                    [.. _categories.Select((c, i) => new CocoCategoryJson(i + 1, c, "object"))],
                    _annotations);
                written = Path.Combine(outputFolder, "coco.json");
                if (runId is not null && OtherRun(written) is not null)
                {
                    written = Path.Combine(outputFolder, $"coco.{runId}.json");
                }

                AtomicFile.WriteText(written, JsonSerializer.Serialize(doc, GroundedJsonContext.Default.CocoJson));
            }

            if (formats.HasFlag(OutputFormats.Yolo))
            {
                AtomicFile.WriteText(Path.Combine(outputFolder, "classes.txt"), string.Join('\n', _categories) + "\n");
            }
        }

        return written;
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
