using System.Text.Json.Serialization;
using Grounded.Masks;

namespace Grounded.Outputs.Json;

/// <summary>A COCO instances file with RLE segmentations.</summary>
/// <param name="Info">Description and creation date.</param>
/// <param name="Images">The images.</param>
/// <param name="Categories">The classes, numbered from 1.</param>
/// <param name="Annotations">One per object with a mask.</param>
public sealed record CocoJson(CocoInfoJson Info, IReadOnlyList<CocoImageJson> Images, IReadOnlyList<CocoCategoryJson> Categories, IReadOnlyList<CocoAnnotationJson> Annotations);

/// <summary>COCO's info block.</summary>
/// <param name="Description">What made the file.</param>
/// <param name="DateCreated">yyyy-MM-dd.</param>
/// <param name="RunId">The run identity of every image in the file (absent when unknown).</param>
public sealed record CocoInfoJson(string Description, string DateCreated, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RunId = null);

/// <summary>One COCO image.</summary>
/// <param name="Id">From 1.</param>
/// <param name="FileName">The image's file name.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public sealed record CocoImageJson(int Id, string FileName, int Width, int Height);

/// <summary>One COCO category.</summary>
/// <param name="Id">From 1.</param>
/// <param name="Name">The class.</param>
/// <param name="Supercategory">Always "object".</param>
public sealed record CocoCategoryJson(int Id, string Name, string Supercategory);

/// <summary>One COCO annotation.</summary>
/// <param name="Id">From 1.</param>
/// <param name="ImageId">The image.</param>
/// <param name="CategoryId">The class.</param>
/// <param name="Segmentation">The mask as RLE.</param>
/// <param name="Area">Mask pixels.</param>
/// <param name="Bbox">[x, y, w, h].</param>
/// <param name="Iscrowd">Always 0.</param>
/// <param name="Score">The detector's score.</param>
public sealed record CocoAnnotationJson(int Id, int ImageId, int CategoryId, [property: JsonConverter(typeof(CocoRleConverter))] CocoRle Segmentation, long Area, double[] Bbox, int Iscrowd, double Score);
