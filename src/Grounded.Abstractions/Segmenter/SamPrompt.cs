using Grounded.Geometry;

namespace Grounded.Segmenter;

/// <summary>
/// One object to segment: clicks and/or at most one box, in original-image pixels, and optionally the previous
/// low-resolution mask logits to refine.
/// </summary>
public sealed record SamPrompt
{
    /// <summary>Positive and negative clicks.</summary>
    public IReadOnlyList<PromptPoint> Points { get; init; } = [];

    /// <summary>A box around the object.</summary>
    public BoxXyxy? Box { get; init; }

    /// <summary>
    /// Low-resolution mask logits from an earlier answer (<see cref="MaskCandidate.LowResLogits"/>), fed back as
    /// the decoder's mask input to refine it.
    /// </summary>
    public float[]? MaskInput { get; init; }

    /// <summary>A prompt of clicks only.</summary>
    public static SamPrompt FromPoints(params PromptPoint[] points) => new() { Points = points };

    /// <summary>A prompt of a box only.</summary>
    public static SamPrompt FromBox(BoxXyxy box) => new() { Box = box };

    /// <summary>
    /// The prompts that clicks and boxes given together mean (the CLI's flags, the API's fields, the agents'
    /// arguments): the points and at most one box form one object; boxes without points give one object each;
    /// neither gives null. <paramref name="pointsName"/> and <paramref name="boxName"/> name them in the error.
    /// </summary>
    /// <exception cref="InvalidRequestException">Points with more than one box.</exception>
    public static IReadOnlyList<SamPrompt>? Combine(IReadOnlyList<PromptPoint> points, IReadOnlyList<BoxXyxy> boxes, string pointsName, string boxName)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(boxes);
        if (points.Count == 0)
        {
            return boxes.Count == 0 ? null : [.. boxes.Select(FromBox)];
        }

        if (boxes.Count > 1)
        {
            throw new InvalidRequestException($"With {pointsName}, give at most one {boxName}: points and a box form one object.");
        }

        return [new SamPrompt { Points = points, Box = boxes.Count == 1 ? boxes[0] : null }];
    }
}
