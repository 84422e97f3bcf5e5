namespace Grounded.Recipes;

/// <summary>The order rules of steps: what each step needs before it.</summary>
public static class RecipeChecks
{
    /// <summary>Throws when a step lacks what an earlier step must provide.</summary>
    public static void Validate(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        bool detected = false, masks = false;
        foreach (var step in recipe.Steps)
        {
            switch (step)
            {
                case DetectRecipeStep:
                    detected = true;
                    break;
                case SegmentRecipeStep s when s.Prompts is null && !detected:
                    throw new InvalidRequestException("A segment step needs a detect step before it.");
                case SegmentRecipeStep or EverythingRecipeStep:
                    masks = true;
                    break;
                case InpaintRecipeStep when !masks:
                    throw new InvalidRequestException("An inpaint step needs a segment (or everything) step before it.");
            }
        }
    }
}
