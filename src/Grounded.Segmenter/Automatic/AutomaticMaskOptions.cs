namespace Grounded.Segmenter.Automatic;

/// <summary>
/// Settings of the automatic mask generator; defaults are segment-anything's SamAutomaticMaskGenerator's.
/// </summary>
public sealed record AutomaticMaskOptions
{
    /// <summary>Points along one side of the grid (default 32: 1,024 prompts).</summary>
    public int PointsPerSide { get; init; } = 32;

    /// <summary>Explicit point grids in [0, 1] coordinates, one per crop layer; overrides <see cref="PointsPerSide"/>.</summary>
    public IReadOnlyList<IReadOnlyList<(double X, double Y)>>? PointGrids { get; init; }

    /// <summary>Points decoded per batch (default 64).</summary>
    public int PointsPerBatch { get; init; } = 64;

    /// <summary>Keep masks whose predicted IoU is above this (default 0.88; 0 disables).</summary>
    public float PredIouThresh { get; init; } = 0.88f;

    /// <summary>Keep masks whose stability score is at least this (default 0.95; 0 disables).</summary>
    public float StabilityScoreThresh { get; init; } = 0.95f;

    /// <summary>Logit offset for the stability score (default 1.0).</summary>
    public float StabilityScoreOffset { get; init; } = 1.0f;

    /// <summary>Box IoU above which NMS drops duplicates within a crop (default 0.7).</summary>
    public float BoxNmsThresh { get; init; } = 0.7f;

    /// <summary>Extra crop layers (default 0): layer i cuts the image into 2^i × 2^i overlapping crops.</summary>
    public int CropNLayers { get; init; }

    /// <summary>Box IoU above which NMS drops duplicates between crops (default 0.7).</summary>
    public float CropNmsThresh { get; init; } = 0.7f;

    /// <summary>Crop overlap as a fraction of the short side (default 512/1500).</summary>
    public double CropOverlapRatio { get; init; } = 512.0 / 1500;

    /// <summary>Points per side shrink by this factor per crop layer (default 1).</summary>
    public int CropNPointsDownscaleFactor { get; init; } = 1;

    /// <summary>Fill holes and remove islands smaller than this many pixels (default 0: off).</summary>
    public int MinMaskRegionArea { get; init; }

    /// <summary>Logit threshold of the masks (default 0.0).</summary>
    public float MaskThreshold { get; init; }
}
