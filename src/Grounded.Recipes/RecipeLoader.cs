using Grounded.Inpaint;
using Grounded.Settings;
using YamlDotNet.RepresentationModel;

namespace Grounded.Recipes;

/// <summary>
/// Reads recipe files. Keys are snake_case and are the settings records' own: <c>detect: {prompt, box_threshold…}</c>,
/// <c>segment: {multimask}</c>, <c>everything: {points_per_side…}</c>, <c>mask: {dilate, feather, combine}</c>, then
/// <c>inpaint: {inpainter, model, prompt, steps…}</c>; top-level <c>models</c>, <c>device</c>, <c>threads</c>,
/// <c>outputs</c>. Unknown keys and bad values are errors naming the line.
/// </summary>
public static class RecipeLoader
{
    private static readonly string[] TopLevel = ["name", "input", "models", "device", "threads", "inter_op_threads", "graph_optimization", "steps", "outputs"];
    private static readonly string[] MaskKeys = ["dilate", "feather", "combine"];

    /// <summary>Loads and checks a recipe; its settings start from <paramref name="baseSettings"/> (defaults, or a settings file).</summary>
    public static Recipe Load(string path, GroundedSettings? baseSettings = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(SettingsReader.ReadFile(path, "Recipe"), path, baseSettings ?? GroundedSettings.Default);
    }

    /// <summary>Parses and checks recipe text.</summary>
    public static Recipe Parse(string text, string name = "recipe", GroundedSettings? baseSettings = null) =>
        Read(SettingsReader.Parse(text, name), name, baseSettings ?? GroundedSettings.Default);

    private static Recipe Read(YamlMappingNode root, string name, GroundedSettings settings)
    {
        string? title = null, input = null;
        YamlSequenceNode? stepsNode = null;
        var settingsNode = new YamlMappingNode();
        foreach (var (keyNode, value) in root.Children)
        {
            string key = SettingsReader.Scalar(keyNode, name, "a key");
            switch (key)
            {
                case "name":
                    title = SettingsReader.Scalar(value, name, key);
                    break;
                case "input":
                    input = SettingsReader.Scalar(value, name, key);
                    break;
                case "steps":
                    stepsNode = value as YamlSequenceNode ?? throw SettingsReader.Error(name, value, "steps must be a list.");
                    break;
                case "outputs":
                    settingsNode.Add("output", value);
                    break;
                case var k when TopLevel.Contains(k):
                    settingsNode.Add(keyNode, value);
                    break;
                default:
                    throw SettingsReader.Error(name, keyNode, $"unknown key '{key}'; expected {string.Join(", ", TopLevel)}.");
            }
        }

        settings = SettingsReader.Bind(settingsNode, settings, name, string.Empty);
        if (stepsNode is null || stepsNode.Children.Count == 0)
        {
            throw new InvalidRequestException($"Recipe '{name}' has no steps.");
        }

        var steps = new List<RecipeStep>();
        InpaintOptions? pendingMask = null;
        for (int i = 0; i < stepsNode.Children.Count; i++)
        {
            var stepNode = stepsNode.Children[i];
            if (stepNode is not YamlMappingNode { Children.Count: 1 } one)
            {
                throw SettingsReader.Error(name, stepNode, $"step {i + 1} must be exactly one of detect, segment, mask, inpaint, everything.");
            }

            var (kindNode, body) = one.Children.Single();
            string kind = SettingsReader.Scalar(kindNode, name, "a step");
            var mapping = body as YamlMappingNode ?? (body is YamlScalarNode { Value: null or "" } ? new YamlMappingNode() : throw SettingsReader.Error(name, body, $"step {i + 1} ({kind}) must be a mapping, e.g. {kind}: {{}}."));
            string section = $"steps[{i + 1}].{kind}";
            if (pendingMask is not null && kind != "inpaint")
            {
                throw SettingsReader.Error(name, kindNode, "A mask step must be followed by an inpaint step.");
            }

            switch (kind)
            {
                case "detect":
                    var (prompt, rest) = Take(mapping, "prompt", name);
                    if (string.IsNullOrWhiteSpace(prompt))
                    {
                        throw SettingsReader.Error(name, kindNode, "A detect step needs a prompt.");
                    }

                    steps.Add(new DetectRecipeStep(prompt, SettingsReader.Bind(rest, settings.Detect, name, section)));
                    break;
                case "segment":
                    steps.Add(new SegmentRecipeStep(SettingsReader.Bind(mapping, settings.Segment, name, section)));
                    break;
                case "everything":
                    steps.Add(new EverythingRecipeStep(SettingsReader.Bind(mapping, settings.Everything, name, section), settings.Segment));
                    break;
                case "mask":
                    pendingMask = SettingsReader.Bind(mapping, settings.Inpaint, name, section, MaskKeys);
                    break;
                case "inpaint":
                    var (model, options) = Take(mapping, "model", name);
                    steps.Add(new InpaintRecipeStep(SettingsReader.Bind(options, pendingMask ?? settings.Inpaint, name, section), model));
                    pendingMask = null;
                    break;
                default:
                    throw SettingsReader.Error(name, kindNode, $"step {i + 1} must be exactly one of detect, segment, mask, inpaint, everything; got '{kind}'.");
            }
        }

        if (pendingMask is not null)
        {
            throw new InvalidRequestException($"Recipe '{name}': a mask step must be followed by an inpaint step.");
        }

        var recipe = new Recipe { Name = title, Input = input, Settings = settings, Steps = steps };
        RecipeChecks.Validate(recipe);
        return recipe;
    }

    /// <summary>Takes one plain key out of a step's mapping; the rest binds to the step's settings record.</summary>
    private static (string? Value, YamlMappingNode Others) Take(YamlMappingNode mapping, string key, string name)
    {
        string? value = null;
        var rest = new YamlMappingNode();
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: var s } && s == key)
            {
                value = SettingsReader.Scalar(v, name, key);
            }
            else
            {
                rest.Add(k, v);
            }
        }

        return (value, rest);
    }
}
