using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Outputs;
using Grounded.Segmenter;

namespace Grounded.Settings;

/// <summary>
/// Every setting of a run, in one schema: the settings file, recipes, command-line flags, agent arguments and the
/// web API all bind to these records, and each record holds its defaults and checks its ranges. In files the keys
/// are snake_case; the runtime's keys (device, threads, …) sit at the top level.
/// </summary>
public sealed record GroundedSettings
{
    /// <summary>Which models to use.</summary>
    public ModelChoices Models { get; init; } = ModelChoices.Default;

    /// <summary>Device and threads, for every stage.</summary>
    [SettingsInline]
    public RuntimeOptions Runtime { get; init; } = RuntimeOptions.Default;

    /// <summary>Detection.</summary>
    public DetectOptions Detect { get; init; } = DetectOptions.Default;

    /// <summary>Segmentation of boxes and clicks.</summary>
    public SegmentOptions Segment { get; init; } = SegmentOptions.Default;

    /// <summary>Segment-everything.</summary>
    public EverythingOptions Everything { get; init; } = EverythingOptions.Default;

    /// <summary>Mask operations and inpainting.</summary>
    public InpaintOptions Inpaint { get; init; } = InpaintOptions.Default;

    /// <summary>Outputs.</summary>
    public OutputOptions Output { get; init; } = OutputOptions.Default;

    /// <summary>The defaults.</summary>
    public static GroundedSettings Default { get; } = new();
}
