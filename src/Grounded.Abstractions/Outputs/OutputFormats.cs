using Grounded.Settings;

namespace Grounded.Outputs;

/// <summary>What to write for each image (and, for folders, per run).</summary>
[Flags]
public enum OutputFormats
{
    /// <summary>Nothing.</summary>
    [SettingName("none")]
    None = 0,

    /// <summary>overlay.png: masks, boxes and labels over the image.</summary>
    [SettingName("overlay")]
    Overlay = 1,

    /// <summary>masks/NN.png per object and index.png (pixel value = object number).</summary>
    [SettingName("masks", "mask")]
    Masks = 2,

    /// <summary>cutouts/NN.png: each object on a transparent background, cropped to its box.</summary>
    [SettingName("cutouts", "cutout")]
    Cutouts = 4,

    /// <summary>results.json: the same document as --json.</summary>
    [SettingName("json")]
    Json = 8,

    /// <summary>coco.json for the whole run (images, categories, RLE annotations).</summary>
    [SettingName("coco")]
    Coco = 16,

    /// <summary>YOLO segmentation labels (labels/&lt;stem&gt;.txt, classes.txt).</summary>
    [SettingName("yolo")]
    Yolo = 32,

    /// <summary>mask.json in Grounded-SAM's schema, with index.png.</summary>
    [SettingName("gsa")]
    Gsa = 64,

    /// <summary>overlay, masks, cutouts, json, gsa.</summary>
    Default = Overlay | Masks | Cutouts | Json | Gsa,

    /// <summary>Every format.</summary>
    [SettingName("all")]
    All = Default | Coco | Yolo,
}
