using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Segmenter;

namespace Grounded.Recipes;

/// <summary>One step of a recipe; each carries its stage's settings record.</summary>
public abstract record RecipeStep;

/// <summary>Find boxes from a prompt.</summary>
public sealed record DetectRecipeStep(string Prompt, DetectOptions Options) : RecipeStep;

/// <summary>Masks for the detected boxes, or for the given clicks and boxes (one object each).</summary>
public sealed record SegmentRecipeStep(SegmentOptions Options, IReadOnlyList<SamPrompt>? Prompts = null) : RecipeStep;

/// <summary>Every object, no prompt; <paramref name="Segment"/> gives the mask threshold.</summary>
public sealed record EverythingRecipeStep(EverythingOptions Options, SegmentOptions Segment) : RecipeStep;

/// <summary>Mask operations, then edit what the masks cover; <paramref name="Model"/> overrides the recipe's inpainting model.</summary>
public sealed record InpaintRecipeStep(InpaintOptions Options, string? Model = null) : RecipeStep;
