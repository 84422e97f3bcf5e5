using Microsoft.AspNetCore.Http;

namespace Grounded.Studio.Api;

// These records only describe the forms to the OpenAPI document; the fields are read by RequestFields, whose names
// are the CLI's options in snake_case.

/// <summary>The fields of <c>POST /api/segment</c>: a text prompt, or points and/or a box.</summary>
internal sealed record SegmentForm(IFormFile Image, string? Prompt, string? Points, string? Box, float? BoxThreshold, float? TextThreshold, string? Nms, float? NmsIou, bool? Multimask);

/// <summary>The fields of <c>POST /api/detect</c>.</summary>
internal sealed record DetectForm(IFormFile Image, string Prompt, float? BoxThreshold, float? TextThreshold, string? Nms, float? NmsIou);

/// <summary>The fields of <c>POST /api/everything</c> (segment-everything's settings).</summary>
internal sealed record EverythingForm(IFormFile Image, int? PointsPerSide, int? PointsPerBatch, float? PredIouThresh, float? StabilityThresh, float? StabilityOffset, float? BoxNms, int? CropLayers, float? CropNms, int? MinRegionArea);

/// <summary>The fields of <c>POST /api/images</c>: an uploaded image, or the name of one in the allowed folders.</summary>
internal sealed record UploadForm(IFormFile? Image, string? Name);

/// <summary>The fields of an edit: the objects (as the documents give them) and the inpaint settings.</summary>
internal sealed record EditBody(IReadOnlyList<object> Objects, string? Inpainter, string? Prompt, string? NegativePrompt, int? Steps, float? GuidanceScale, long? Seed, int? Dilate, int? Feather);
