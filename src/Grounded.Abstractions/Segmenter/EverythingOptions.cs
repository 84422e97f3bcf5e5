using Grounded.Settings;

namespace Grounded.Segmenter;

/// <summary>
/// Settings of segment-everything (the automatic mask generator); defaults are segment-anything's
/// SamAutomaticMaskGenerator's; the mask threshold is the segmenter's (<see cref="SegmentOptions.MaskThreshold"/>).
/// Validated when built: work-size settings have upper bounds.
/// </summary>
public sealed record EverythingOptions
{
    private readonly int _pointsPerSide = 32;
    private readonly int _pointsPerBatch = 64;
    private readonly float _predIouThresh = 0.88f;
    private readonly float _stabilityScoreThresh = 0.95f;
    private readonly float _stabilityScoreOffset = 1.0f;
    private readonly float _boxNmsThresh = 0.7f;
    private readonly int _cropNLayers;
    private readonly float _cropNmsThresh = 0.7f;
    private readonly double _cropOverlapRatio = 512.0 / 1500;
    private readonly int _cropNPointsDownscaleFactor = 1;
    private readonly int _minMaskRegionArea;

    /// <summary>Points along one side of the grid (default 32: 1,024 prompts).</summary>
    public int PointsPerSide
    {
        get => _pointsPerSide;
        init => _pointsPerSide = Check.Range(value, "points_per_side", 1, 256);
    }

    /// <summary>Explicit point grids in [0, 1] coordinates, one per crop layer; overrides <see cref="PointsPerSide"/>.</summary>
    public IReadOnlyList<IReadOnlyList<(double X, double Y)>>? PointGrids { get; init; }

    /// <summary>Points decoded per batch (default 64).</summary>
    public int PointsPerBatch
    {
        get => _pointsPerBatch;
        init => _pointsPerBatch = Check.Range(value, "points_per_batch", 1, 1024);
    }

    /// <summary>Keep masks whose predicted IoU is above this (default 0.88; 0 disables).</summary>
    public float PredIouThresh
    {
        get => _predIouThresh;
        init => _predIouThresh = Check.Finite(value, "pred_iou_thresh", 0f, 1f);
    }

    /// <summary>Keep masks whose stability score is at least this (default 0.95; 0 disables).</summary>
    [SettingName("stability_thresh")]
    public float StabilityScoreThresh
    {
        get => _stabilityScoreThresh;
        init => _stabilityScoreThresh = Check.Finite(value, "stability_thresh", 0f, 1f);
    }

    /// <summary>Logit offset for the stability score (default 1.0).</summary>
    [SettingName("stability_offset")]
    public float StabilityScoreOffset
    {
        get => _stabilityScoreOffset;
        init => _stabilityScoreOffset = Check.Finite(value, "stability_offset", 0f, 100f);
    }

    /// <summary>Box IoU above which NMS drops duplicates within a crop (default 0.7).</summary>
    [SettingName("box_nms")]
    public float BoxNmsThresh
    {
        get => _boxNmsThresh;
        init => _boxNmsThresh = Check.Finite(value, "box_nms", 0f, 1f);
    }

    /// <summary>Extra crop layers (default 0): layer i cuts the image into 2^i × 2^i overlapping crops.</summary>
    [SettingName("crop_layers")]
    public int CropNLayers
    {
        get => _cropNLayers;
        init => _cropNLayers = Check.Range(value, "crop_layers", 0, 4);
    }

    /// <summary>Box IoU above which NMS drops duplicates between crops (default 0.7).</summary>
    [SettingName("crop_nms")]
    public float CropNmsThresh
    {
        get => _cropNmsThresh;
        init => _cropNmsThresh = Check.Finite(value, "crop_nms", 0f, 1f);
    }

    /// <summary>Crop overlap as a fraction of the short side (default 512/1500).</summary>
    public double CropOverlapRatio
    {
        get => _cropOverlapRatio;
        init => _cropOverlapRatio = Check.Finite(value, "crop_overlap_ratio", 0d, 0.99d);
    }

    /// <summary>Points per side shrink by this factor per crop layer (default 1).</summary>
    [SettingName("crop_points_downscale")]
    public int CropNPointsDownscaleFactor
    {
        get => _cropNPointsDownscaleFactor;
        init => _cropNPointsDownscaleFactor = Check.Range(value, "crop_points_downscale", 1, 16);
    }

    /// <summary>Fill holes and remove islands smaller than this many pixels (default 0: off).</summary>
    [SettingName("min_region_area")]
    public int MinMaskRegionArea
    {
        get => _minMaskRegionArea;
        init => _minMaskRegionArea = Check.Range(value, "min_region_area", 0, int.MaxValue);
    }

    /// <summary>The defaults.</summary>
    public static EverythingOptions Default { get; } = new();
}
