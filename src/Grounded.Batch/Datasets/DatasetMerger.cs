using System.Globalization;
using System.Text;
using System.Text.Json;
using Grounded.IO;
using Grounded.Outputs;
using Grounded.Outputs.Json;

namespace Grounded.Batch.Datasets;

/// <summary>
/// Joins every finished image of an output folder, whatever shards made it, into one dataset: a COCO file whose
/// image ids follow the keys' order and whose categories are the prompt's classes in order (then other labels),
/// and YOLO labels with one class list. The COCO file is streamed, one image's results in memory at a time.
/// </summary>
public static class DatasetMerger
{
    /// <summary>Writes the merged dataset.</summary>
    /// <param name="folder">The scanned output folder.</param>
    /// <param name="cocoPath">The COCO file to write; YOLO's labels/ and classes.txt go beside it.</param>
    /// <param name="formats">Coco, Yolo or both.</param>
    /// <returns>Objects written.</returns>
    public static int Merge(OutputFolder folder, string cocoPath, OutputFormats formats)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(cocoPath);
        var categories = folder.Categories;
        var categoryIds = categories.Select((c, i) => (c, i + 1)).ToDictionary(p => p.c, p => p.Item2, StringComparer.Ordinal);
        string target = Path.GetDirectoryName(Path.GetFullPath(cocoPath))!;
        bool yolo = formats.HasFlag(OutputFormats.Yolo);
        int objects = 0;

        // One pass over the images, each one's results read once for both formats.
        void EachImage(Utf8JsonWriter? coco)
        {
            for (int i = 0; i < folder.Images.Count; i++)
            {
                var image = folder.Images[i];
                var result = image.Read();
                var labels = yolo ? new StringBuilder() : null;
                foreach (var o in result.Objects)
                {
                    if (o.Mask is not { } mask)
                    {
                        continue;
                    }

                    int category = categoryIds[o.Label];
                    objects++;
                    if (coco is not null)
                    {
                        JsonSerializer.Serialize(coco, DatasetRows.Annotation(objects, i + 1, category, o.Score, mask), GroundedJsonContext.Default.CocoAnnotationJson);
                    }

                    if (labels is not null)
                    {
                        DatasetRows.AppendYolo(labels, category - 1, mask, result.Width, result.Height);
                    }
                }

                coco?.Flush();
                if (labels is not null)
                {
                    AtomicFile.WriteText(Path.Combine(target, "labels", image.Name + ".txt"), labels.ToString());
                }
            }
        }

        if (formats.HasFlag(OutputFormats.Coco))
        {
            AtomicFile.Write(cocoPath, stream =>
            {
                using var json = new Utf8JsonWriter(stream);
                json.WriteStartObject();
                json.WritePropertyName("info");
                JsonSerializer.Serialize(json, new CocoInfoJson("Grounded segmentation", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), folder.RunId), GroundedJsonContext.Default.CocoInfoJson);
                json.WriteStartArray("images");
                for (int i = 0; i < folder.Images.Count; i++)
                {
                    var image = folder.Images[i];
                    JsonSerializer.Serialize(json, new CocoImageJson(i + 1, image.Key, image.Width, image.Height), GroundedJsonContext.Default.CocoImageJson);
                }

                json.WriteEndArray();
                json.WriteStartArray("categories");
                foreach (var (name, id) in categoryIds.OrderBy(p => p.Value))
                {
                    JsonSerializer.Serialize(json, new CocoCategoryJson(id, name, "object"), GroundedJsonContext.Default.CocoCategoryJson);
                }

                json.WriteEndArray();
                json.WriteStartArray("annotations");
                EachImage(json);
                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        else
        {
            EachImage(null);
        }

        if (yolo)
        {
            AtomicFile.WriteText(Path.Combine(target, "classes.txt"), string.Join('\n', categories) + "\n");
        }

        return objects;
    }
}
