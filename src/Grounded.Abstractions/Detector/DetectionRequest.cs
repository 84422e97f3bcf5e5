namespace Grounded.Detector;

/// <summary>What to find: a prompt (a sentence, or classes separated by '.') or a list of classes, and how to keep boxes.</summary>
public sealed record DetectionRequest
{
    /// <summary>The text prompt, e.g. "the bear" or "dog . cat . remote control".</summary>
    public string? Prompt { get; init; }

    /// <summary>Classes, joined as "a . b . c" (used when <see cref="Prompt"/> is null).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Thresholds, caption rule and NMS.</summary>
    public DetectOptions Options { get; init; } = DetectOptions.Default;

    /// <summary>A request for a prompt.</summary>
    public static DetectionRequest For(string prompt, DetectOptions? options = null) => new() { Prompt = prompt, Options = options ?? DetectOptions.Default };
}
