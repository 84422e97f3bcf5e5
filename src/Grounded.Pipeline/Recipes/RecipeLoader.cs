using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Grounded.Pipeline.Recipes;

/// <summary>Reads recipe files; unknown keys are errors naming the line, so a typo cannot pass silently.</summary>
public static class RecipeLoader
{
    /// <summary>Loads and checks a recipe.</summary>
    public static Recipe Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InvalidRequestException($"Recipe '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and checks recipe text.</summary>
    public static Recipe Parse(string text, string name = "recipe")
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        Recipe recipe;
        try
        {
            recipe = deserializer.Deserialize<Recipe?>(text) ?? new Recipe();
        }
        catch (YamlException ex)
        {
            throw new InvalidRequestException($"Recipe '{name}' line {ex.Start.Line}: {(ex.InnerException?.Message ?? ex.Message).Split('\n')[0]}", ex);
        }

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
