namespace Grounded.Detector;

/// <summary>What to find: a prompt (a sentence, or classes separated by '.') or a list of classes.</summary>
public sealed record DetectionRequest
{
    /// <summary>The text prompt, e.g. "the bear" or "dog . cat . remote control".</summary>
    public string? Prompt { get; init; }

    /// <summary>Classes, joined as "a . b . c" (used when <see cref="Prompt"/> is null).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Overrides <see cref="DetectorOptions.BoxThreshold"/>.</summary>
    public float? BoxThreshold { get; init; }

    /// <summary>Overrides <see cref="DetectorOptions.TextThreshold"/>.</summary>
    public float? TextThreshold { get; init; }

    /// <summary>Overrides <see cref="DetectorOptions.CaptionMode"/>.</summary>
    public CaptionMode? CaptionMode { get; init; }

    /// <summary>Overrides <see cref="DetectorOptions.Nms"/>.</summary>
    public NmsMode? Nms { get; init; }

    /// <summary>Overrides <see cref="DetectorOptions.NmsIoU"/>.</summary>
    public float? NmsIoU { get; init; }

    /// <summary>A request for a prompt.</summary>
    public static DetectionRequest For(string prompt) => new() { Prompt = prompt };
}
