using System.Globalization;
using System.Text;
using Grounded.Masks;
using Grounded.Outputs.Json;

namespace Grounded.Outputs;

/// <summary>One object as a dataset row: a COCO annotation (compressed RLE, tight box) or YOLO polygon lines.</summary>
public static class DatasetRows
{
    /// <summary>The COCO annotation of a mask.</summary>
    public static CocoAnnotationJson Annotation(int id, int imageId, int categoryId, float score, BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Annotation(id, imageId, categoryId, score, CocoRle.Encode(mask));
    }

    /// <summary>The COCO annotation of a mask already encoded.</summary>
    public static CocoAnnotationJson Annotation(int id, int imageId, int categoryId, float score, CocoRle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        return new CocoAnnotationJson(id, imageId, categoryId, rle, rle.Area(), rle.ToBboxXywh(), 0, Math.Round((double)score, 6));
    }

    /// <summary>Appends a mask's outlines as YOLO segmentation lines: the class, then x y pairs normalised to the image.</summary>
    public static void AppendYolo(StringBuilder yolo, int classIndex, BinaryMask mask, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(yolo);
        foreach (var polygon in MaskContours.Trace(mask, minArea: 4))
        {
            if (polygon.Count < 3)
            {
                continue;
            }

            yolo.Append(classIndex.ToString(CultureInfo.InvariantCulture));
            foreach (var (x, y) in polygon)
            {
                yolo.Append(CultureInfo.InvariantCulture, $" {(double)x / width:0.######} {(double)y / height:0.######}");
            }

            yolo.Append('\n');
        }
    }
}
