using Grounded.Detector;
using Grounded.Recipes;
using Grounded.Tests.Support;

namespace Grounded.Tests.Pipeline;

/// <summary>Settings files and recipes bind to the settings records: the README's example reads, bad values name file and line.</summary>
public sealed class SettingsFileTests
{
    [Fact]
    public void The_readme_settings_example_reads_into_the_records()
    {
        string readme = File.ReadAllText(Path.Combine(Fixtures.Root, "..", "..", "README.md"));
        int start = readme.IndexOf("```yaml\nmodels:", StringComparison.Ordinal) + "```yaml\n".Length;
        string yaml = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        var settings = ConfigLoader.Parse(yaml, "README");

        Assert.Equal(0.35f, settings.Detect.BoxThreshold);
        Assert.Equal(NmsMode.ClassAgnostic, settings.Detect.Nms);
        Assert.Equal("/models/mobilesam", settings.Models.Segmenter);
        Assert.Equal(GraphOptimization.All, settings.Runtime.GraphOptimization);
        Assert.Equal("results", settings.Output.Directory);
        Assert.Equal(32, settings.Everything.PointsPerSide);
    }

    [Theory]
    [InlineData("steps:\n  - detect: { prompt: bench, box_threshold: 7 }\n", "line 2", "box_threshold must be between 0 and 1; got 7")]
    [InlineData("steps:\n  - detect: { prompt: bench }\n  - segment: {}\n  - mask: { dilate: -4 }\n  - inpaint: {}\n", "line 4", "dilate must be between 0 and 1024; got -4")]
    [InlineData("steps:\n  - detect: { prompt: bench }\n  - segment: {}\n  - inpaint: { inpainter: picasso }\n", "line 4", "inpainter is classical, lama or sd; got 'picasso'")]
    [InlineData("steps:\n  - everything: { points_per_side: many }\n", "line 2", "points_per_side must be a whole number; got 'many'")]
    [InlineData("device: cpu\nthreads: 2\nsteps:\n  - detect: { prompt: bench, box_thresold: 0.3 }\n", "line 4", "unknown setting 'steps[1].detect.box_thresold'")]
    public void A_bad_recipe_value_names_the_file_the_line_and_the_setting(string text, string line, string message)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RecipeLoader.Parse(text, "bad.yaml"));

        Assert.Contains("'bad.yaml'", error.Message, StringComparison.Ordinal);
        Assert.Contains(line, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_layers_over_the_settings_file()
    {
        var baseSettings = ConfigLoader.Parse("detect:\n  box_threshold: 0.4\noutput:\n  dir: base\n", "config");

        var recipe = RecipeLoader.Parse("outputs: { formats: json }\nsteps:\n  - detect: { prompt: bench, text_threshold: 0.3 }\n", "r.yaml", baseSettings);

        var detect = Assert.IsType<DetectRecipeStep>(recipe.Steps[0]);
        Assert.Equal(0.4f, detect.Options.BoxThreshold);
        Assert.Equal(0.3f, detect.Options.TextThreshold);
        Assert.Equal("base", recipe.Settings.Output.Directory);
        Assert.Equal(Outputs.OutputFormats.Json, recipe.Settings.Output.Formats);
    }
}
