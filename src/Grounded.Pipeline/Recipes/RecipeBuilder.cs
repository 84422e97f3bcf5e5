using Grounded.Detector;
using Grounded.Inpaint;
using Grounded.Inpaint.Masking;
using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Segmenter.Automatic;

namespace Grounded.Pipeline.Recipes;

/// <summary>Resolves a model value (a set name, a folder, or null for the default) of a kind to a folder and, for detector sets, the ONNX file.</summary>
public delegate Task<(string Folder, string? ModelFile)> ModelFolderResolver(string? value, string kind, CancellationToken cancellationToken);

/// <summary>Turns a <see cref="Recipe"/> into a pipeline, opening each model once.</summary>
public static class RecipeBuilder
{
    /// <summary>Builds the pipeline.</summary>
    /// <param name="recipe">The recipe.</param>
    /// <param name="resolve">Turns model values into folders (downloading when allowed).</param>
    /// <param name="runtime">ONNX Runtime settings for every model.</param>
    /// <param name="inpaintProgress">Receives (step, total) while a generative inpainter denoises.</param>
    /// <param name="cancellationToken">Stops model downloads.</param>
    public static async Task<BuiltRecipe> BuildAsync(Recipe recipe, ModelFolderResolver resolve, OnnxRuntimeOptions runtime, IProgress<(int Step, int Total)>? inpaintProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(resolve);
        var owned = new List<IDisposable>();
        try
        {
            var builder = GroundedPipeline.Builder();
            SamSegmenter? segmenter = null;
            MaskSettings? pendingMask = null;
            bool masksExist = false, detected = false, multimask = false;
            async Task<SamSegmenter> Segmenter()
            {
                if (segmenter is null)
                {
                    var (folder, _) = await resolve(recipe.Models.Segmenter, "segmenter", cancellationToken).ConfigureAwait(false);
                    segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = runtime });
                    owned.Add(segmenter);
                }

                return segmenter;
            }

            foreach (var step in recipe.Steps)
            {
                if (step.Detect is { } detect)
                {
                    var (folder, modelFile) = await resolve(recipe.Models.Detector, "detector", cancellationToken).ConfigureAwait(false);
                    var detector = GroundingDinoDetector.Create(folder, new DetectorOptions { Runtime = runtime, ModelFile = modelFile });
                    owned.Add(detector);
                    builder.Detect(detector, new DetectionRequest
                    {
                        Prompt = detect.Prompt ?? throw new InvalidRequestException("A detect step needs a prompt."),
                        BoxThreshold = detect.BoxThreshold,
                        TextThreshold = detect.TextThreshold,
                        CaptionMode = detect.CaptionMode is null ? null : ParseCaptionMode(detect.CaptionMode),
                        Nms = detect.Nms is null ? null : ParseNms(detect.Nms),
                        NmsIoU = detect.NmsIou,
                    });
                    detected = true;
                }
                else if (step.Segment is { } segment)
                {
                    if (!detected)
                    {
                        throw new InvalidRequestException("A segment step needs a detect step before it.");
                    }

                    builder.Segment(await Segmenter().ConfigureAwait(false), new SegmentStepOptions { Multimask = segment.Multimask });
                    multimask |= segment.Multimask;
                    masksExist = true;
                }
                else if (step.Everything is { } everything)
                {
                    var d = new AutomaticMaskOptions();
                    builder.Add(new SegmentEverythingStep(new AutomaticMaskGenerator(await Segmenter().ConfigureAwait(false), d with
                    {
                        PointsPerSide = everything.PointsPerSide ?? d.PointsPerSide,
                        PredIouThresh = everything.PredIouThresh ?? d.PredIouThresh,
                        StabilityScoreThresh = everything.StabilityThresh ?? d.StabilityScoreThresh,
                        BoxNmsThresh = everything.BoxNms ?? d.BoxNmsThresh,
                    })));
                    masksExist = true;
                }
                else if (step.Mask is { } mask)
                {
                    pendingMask = mask;
                }
                else if (step.Inpaint is { } inpaint)
                {
                    if (!masksExist)
                    {
                        throw new InvalidRequestException("An inpaint step needs a segment (or everything) step before it.");
                    }

                    string kind = inpaint.Inpainter ?? "classical";
                    string? model = null;
                    if (!kind.Equals("classical", StringComparison.OrdinalIgnoreCase))
                    {
                        (model, _) = await resolve(inpaint.Model ?? recipe.Models.Inpainter ?? (kind.Equals("sd", StringComparison.OrdinalIgnoreCase) ? "sd-inpainting" : "lama"), "inpainter", cancellationToken).ConfigureAwait(false);
                    }

                    var inpainter = InpainterFactory.Create(kind, model, runtime, inpaint.Scheduler);
                    owned.Add(inpainter);
                    var defaults = new InpaintStepOptions();
                    var request = new InpaintRequest();
                    builder.Inpaint(inpainter, new InpaintStepOptions
                    {
                        Dilate = pendingMask?.Dilate ?? defaults.Dilate,
                        Feather = pendingMask?.Feather ?? defaults.Feather,
                        Combine = pendingMask?.Combine is { } combine ? ParseCombine(combine) : defaults.Combine,
                        Request = request with
                        {
                            Prompt = inpaint.Prompt ?? string.Empty,
                            NegativePrompt = inpaint.NegativePrompt ?? string.Empty,
                            Steps = inpaint.Steps ?? request.Steps,
                            GuidanceScale = inpaint.Guidance ?? request.GuidanceScale,
                            Strength = inpaint.Strength ?? request.Strength,
                            Seed = inpaint.Seed ?? request.Seed,
                            Progress = inpaintProgress,
                        },
                    });
                    pendingMask = null;
                }
            }

            if (pendingMask is not null)
            {
                throw new InvalidRequestException("A mask step must be followed by an inpaint step.");
            }

            return new BuiltRecipe(builder.Build(), owned, multimask);
        }
        catch
        {
            foreach (var d in owned)
            {
                d.Dispose();
            }

            throw;
        }
    }

    /// <summary>gsa or raw.</summary>
    public static CaptionMode ParseCaptionMode(string text) => text.ToLowerInvariant() switch
    {
        "gsa" => CaptionMode.Gsa,
        "raw" => CaptionMode.Raw,
        _ => throw new InvalidRequestException($"caption_mode is gsa or raw; got '{text}'."),
    };

    /// <summary>none, class or agnostic.</summary>
    public static NmsMode ParseNms(string text) => text.ToLowerInvariant() switch
    {
        "none" or "off" => NmsMode.None,
        "class" or "per-class" => NmsMode.PerClass,
        "agnostic" or "class-agnostic" or "all" => NmsMode.ClassAgnostic,
        _ => throw new InvalidRequestException($"nms is none, class or agnostic; got '{text}'."),
    };

    /// <summary>first, merge or each.</summary>
    public static MaskCombineMode ParseCombine(string text) => text.ToLowerInvariant() switch
    {
        "first" => MaskCombineMode.First,
        "merge" or "union" => MaskCombineMode.Merge,
        "each" => MaskCombineMode.Each,
        _ => throw new InvalidRequestException($"combine is first, merge or each; got '{text}'."),
    };
}
