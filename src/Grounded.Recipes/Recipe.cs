using Grounded.Settings;

namespace Grounded.Recipes;

/// <summary>
/// A recipe: the settings it runs with (models, device, outputs), then steps in order. Files are YAML or JSON
/// (see <see cref="RecipeLoader"/>); the CLI's segment, detect, everything, remove and replace are recipes too.
/// </summary>
public sealed record Recipe
{
    /// <summary>A name for logs.</summary>
    public string? Name { get; init; }

    /// <summary>Default input (image, folder or glob) when the command line gives none.</summary>
    public string? Input { get; init; }

    /// <summary>Models, runtime and outputs (the steps carry their own stage settings).</summary>
    public GroundedSettings Settings { get; init; } = GroundedSettings.Default;

    /// <summary>The steps, in order.</summary>
    public required IReadOnlyList<RecipeStep> Steps { get; init; }

    /// <summary>The model stages the steps need, each once, in step order: what to fetch before running.</summary>
    public IReadOnlyList<string> StageKinds() =>
        [.. Steps.SelectMany(s => s switch
        {
            DetectRecipeStep => ["detector"],
            SegmentRecipeStep or EverythingRecipeStep => ["segmenter"],
            InpaintRecipeStep { Options.Inpainter: not (null or Inpaint.InpainterKind.Classical) } => ["inpainter"],
            _ => Array.Empty<string>(),
        }).Distinct()];

    /// <summary>The classes the recipe's text prompt names, in order, as the detector labels them (null without a text prompt).</summary>
    public IReadOnlyList<string>? PromptClasses() =>
        Steps.OfType<DetectRecipeStep>().FirstOrDefault() is { } detect
            ? Detector.Text.Caption.Classes(Detector.Text.Caption.Build(detect.Prompt, detect.Options.CaptionMode))
            : null;
}
