using Grounded.Pipeline.Config;

namespace Grounded.Pipeline.Recipes;

/// <summary>Reads recipe files; unknown keys are errors naming the line, so a typo cannot pass silently.</summary>
public static class RecipeLoader
{
    /// <summary>Loads and checks a recipe.</summary>
    public static Recipe Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(YamlFile.Read(path, "Recipe"), path);
    }

    /// <summary>Parses and checks recipe text.</summary>
    public static Recipe Parse(string text, string name = "recipe")
    {
        var recipe = YamlFile.Parse<Recipe>(text, "Recipe", name);

        if (recipe.Steps.Count == 0)
        {
            throw new InvalidRequestException($"Recipe '{name}' has no steps.");
        }

        for (int i = 0; i < recipe.Steps.Count; i++)
        {
            var s = recipe.Steps[i];
            int set = (s.Detect is null ? 0 : 1) + (s.Segment is null ? 0 : 1) + (s.Mask is null ? 0 : 1) + (s.Inpaint is null ? 0 : 1) + (s.Everything is null ? 0 : 1);
            if (set != 1)
            {
                throw new InvalidRequestException($"Recipe '{name}' step {i + 1} must be exactly one of detect, segment, mask, inpaint, everything.");
            }
        }

        return recipe;
    }
}
