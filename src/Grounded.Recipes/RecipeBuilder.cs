using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Pipeline;
using Grounded.Segmenter;
using Microsoft.Extensions.Logging;

namespace Grounded.Recipes;

/// <summary>Resolves a model value (a set name, a folder, or null for the default) of a kind to a folder and, for detector sets, the ONNX file.</summary>
public delegate Task<(string Folder, string? ModelFile)> ModelFolderResolver(string? value, string kind, CancellationToken cancellationToken);

/// <summary>Turns a <see cref="Recipe"/> into an instrumented pipeline over the ONNX stages, opening each model once.</summary>
public static class RecipeBuilder
{
    /// <summary>
    /// A recipe's pipeline over stages that are already open and shared (a server's): the same steps, in the same
    /// order, with the same options as <see cref="BuildAsync"/> gives, so the results are the same. The caller owns the stages.
    /// </summary>
    public static GroundedPipeline Compose(Recipe recipe, IDetector? detector, ISegmenter? segmenter, IInpainter? inpainter = null, IProgress<(int Step, int Total)>? inpaintProgress = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        RecipeChecks.Validate(recipe);
        var builder = GroundedPipeline.Builder().UseInstrumentation(loggerFactory);
        foreach (var step in recipe.Steps)
        {
            AddStep(builder, step, detector, segmenter, inpainter, inpaintProgress);
        }

        return builder.Build();
    }

    private static void AddStep(PipelineBuilder builder, RecipeStep step, IDetector? detector, ISegmenter? segmenter, IInpainter? inpainter, IProgress<(int Step, int Total)>? inpaintProgress = null)
    {
        switch (step)
        {
            case DetectRecipeStep detect:
                builder.Detect(detector ?? throw new InvalidOperationException("The recipe detects, but no detector is open."), new DetectionRequest { Prompt = detect.Prompt, Options = detect.Options });
                break;
            case SegmentRecipeStep segment:
                builder.Segment(segmenter ?? throw new InvalidOperationException("The recipe segments, but no segmenter is open."), segment.Options, segment.Prompts);
                break;
            case EverythingRecipeStep everything:
                builder.SegmentEverything(segmenter ?? throw new InvalidOperationException("The recipe segments, but no segmenter is open."), everything.Options, everything.Segment);
                break;
            case InpaintRecipeStep inpaint:
                builder.Inpaint(inpainter ?? throw new InvalidOperationException("The recipe inpaints, but no inpainter is open."), inpaint.Options, inpaintProgress);
                break;
        }
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="recipe">The recipe.</param>
    /// <param name="resolve">Turns model values into folders (downloading when allowed).</param>
    /// <param name="inpaintProgress">Receives (step, total) while a generative inpainter denoises.</param>
    /// <param name="loggerFactory">Where stage logs go (none by default).</param>
    /// <param name="cancellationToken">Stops model downloads.</param>
    public static async Task<BuiltRecipe> BuildAsync(Recipe recipe, ModelFolderResolver resolve, IProgress<(int Step, int Total)>? inpaintProgress = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(resolve);
        RecipeChecks.Validate(recipe);
        var settings = recipe.Settings;
        var owned = new List<IDisposable>();
        Task<SamSegmenter>? segmenterTask = null;
        try
        {
            var builder = GroundedPipeline.Builder().UseInstrumentation(loggerFactory);
            // The segmenter's session is made while the detector's is: session creation (graph optimisation) is
            // most of a cold start, and the two do not depend on each other.
            bool needsSegmenter = recipe.Steps.Any(s => s is SegmentRecipeStep or EverythingRecipeStep);
            segmenterTask = needsSegmenter
                ? Task.Run(
                    async () =>
                    {
                        var (folder, _) = await resolve(settings.Models.Segmenter, "segmenter", cancellationToken).ConfigureAwait(false);
                        return SamSegmenter.Create(folder, new SegmenterOptions { Runtime = settings.Runtime });
                    },
                    cancellationToken)
                : null;
            SamSegmenter? segmenter = null;
            async Task<SamSegmenter> Segmenter()
            {
                if (segmenter is null)
                {
                    segmenter = await segmenterTask!.ConfigureAwait(false);
                    owned.Add(segmenter);
                }

                return segmenter;
            }

            foreach (var step in recipe.Steps)
            {
                switch (step)
                {
                    case DetectRecipeStep detect:
                        var (detectorFolder, modelFile) = await resolve(settings.Models.Detector, "detector", cancellationToken).ConfigureAwait(false);
                        var detector = GroundingDinoDetector.Create(detectorFolder, new DetectorOptions { Runtime = settings.Runtime, ModelFile = modelFile });
                        owned.Add(detector);
                        AddStep(builder, detect, detector, null, null);
                        break;
                    case SegmentRecipeStep or EverythingRecipeStep:
                        AddStep(builder, step, null, await Segmenter().ConfigureAwait(false), null);
                        break;
                    case InpaintRecipeStep inpaint:
                        var kind = inpaint.Options.Inpainter ?? InpainterKind.Classical;
                        string? model = null;
                        if (kind != InpainterKind.Classical)
                        {
                            (model, _) = await resolve(inpaint.Model ?? settings.Models.Inpainter ?? InpainterFactory.DefaultSet(kind), "inpainter", cancellationToken).ConfigureAwait(false);
                        }

                        var inpainter = InpainterFactory.Create(kind, model, settings.Runtime);
                        owned.Add(inpainter);
                        AddStep(builder, inpaint, null, null, inpainter, inpaintProgress);
                        break;
                }
            }

            return new BuiltRecipe(builder.Build(), owned, recipe.Steps.OfType<SegmentRecipeStep>().Any(s => s.Options.Multimask));
        }
        catch
        {
            foreach (var d in owned)
            {
                d.Dispose();
            }

            throw;
        }
        finally
        {
            // A segmenter made but never handed out (the build failed first) is disposed here, never leaked.
            if (segmenterTask is not null && !owned.Any(o => o is SamSegmenter))
            {
                try
                {
                    (await segmenterTask.ConfigureAwait(false)).Dispose();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Its own failure is not the build's: the build has already failed or did not need it.
                }
            }
        }
    }
}
