using Grounded.Pipeline.Batch;
using Grounded.Pipeline.Recipes;

namespace Grounded.Cli.Commands;

/// <summary>Runs a recipe over an input: what remove, replace and run share.</summary>
internal static class RecipeRun
{
    public static async Task<int> RunAsync(Recipe recipe, string? input, RunSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string source = input ?? recipe.Input ?? throw new InvalidRequestException("Give an input image, folder or glob (or an 'input:' in the recipe).");
        var images = InputExpander.Expand(source);
        var resolver = ModelResolver.Create(settings.AllowDownload, settings.ModelsDir, error);
        var bar = ConsoleProgress.For(error);
        var denoising = new Progress<(int Step, int Total)>(p => bar.Report("denoise", (double)p.Step / p.Total, $"step {p.Step}/{p.Total}"));
        using var built = await RecipeBuilder.BuildAsync(recipe, resolver.ResolveAsync, settings.Runtime, denoising, cancellationToken).ConfigureAwait(false);
        return await PipelineRun.RunBatchAsync(built.Pipeline, images, settings with { Multimask = built.Multimask }, output, error, cancellationToken).ConfigureAwait(false);
    }
}
