namespace Grounded.Pipeline.Output;

/// <summary>What to write for each image (and, for folders, per run).</summary>
[Flags]
public enum OutputFormats
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>overlay.png: masks, boxes and labels over the image.</summary>
    Overlay = 1,

    /// <summary>masks/NN.png per object and index.png (pixel value = object number).</summary>
    Masks = 2,

    /// <summary>cutouts/NN.png: each object on a transparent background, cropped to its box.</summary>
    Cutouts = 4,

    /// <summary>results.json: the same document as --json.</summary>
    Json = 8,

    /// <summary>coco.json for the whole run (images, categories, RLE annotations).</summary>
    Coco = 16,

    /// <summary>YOLO segmentation labels (labels/&lt;stem&gt;.txt, classes.txt).</summary>
    Yolo = 32,

    /// <summary>mask.json in Grounded-SAM's schema, with index.png.</summary>
    Gsa = 64,

    /// <summary>overlay, masks, cutouts, json, gsa.</summary>
    Default = Overlay | Masks | Cutouts | Json | Gsa,
}

/// <summary>Parses "overlay,masks,cutouts,json,coco,yolo,gsa".</summary>
public static class OutputFormatsParser
{
    /// <summary>Parses a comma-separated list; "all" selects everything.</summary>
    public static OutputFormats Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = OutputFormats.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            result |= part.ToLowerInvariant() switch
            {
                "overlay" => OutputFormats.Overlay,
                "masks" or "mask" => OutputFormats.Masks,
                "cutouts" or "cutout" => OutputFormats.Cutouts,
                "json" => OutputFormats.Json,
                "coco" => OutputFormats.Coco,
                "yolo" => OutputFormats.Yolo,
                "gsa" => OutputFormats.Gsa,
                "all" => OutputFormats.Default | OutputFormats.Coco | OutputFormats.Yolo,
                _ => throw new FormatException($"Unknown output format '{part}': use overlay, masks, cutouts, json, coco, yolo, gsa or all."),
            };
        }

        return result;
    }
}
