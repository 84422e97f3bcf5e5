using System.Collections.Concurrent;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Pipeline;
using Grounded.Models;
using Grounded.Outputs;
using Grounded.Results;
using Grounded.Segmenter;

using Grounded.Agents.Sandbox;
using Grounded.Masks;
using Grounded.Recipes;

namespace Grounded.Agents;

/// <summary>
/// The work behind the agent tools: sandboxed inputs and outputs, models loaded once and shared by every call
/// (safe for concurrent calls), per-call limits on size, objects and time. Owns the models; dispose it.
/// </summary>
public sealed class GroundedAgentService : IDisposable
{
    private readonly GroundedAgentOptions _options;
    private readonly FileSandbox _sandbox;
    private readonly ModelLocator _locator;
    private readonly Lazy<Task<(GroundingDinoDetector Detector, SamSegmenter Segmenter)>> _models;
    private readonly ConcurrentDictionary<string, Lazy<Task<IInpainter>>> _inpainters = new(StringComparer.Ordinal);

    /// <summary>Creates the service; models load on first use.</summary>
    public GroundedAgentService(GroundedAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _sandbox = new FileSandbox(options.AllowedReadFolders, options.OutputFolder ?? throw new InvalidRequestException("An output folder is required."));
        _locator = ModelLocator.Create(options.ModelsFolder, options.AllowDownload);
        _models = new Lazy<Task<(GroundingDinoDetector, SamSegmenter)>>(LoadModelsAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The sandbox (for hosts that want to show its folders).</summary>
    public FileSandbox Sandbox => _sandbox;

    /// <summary>Builds a detect (+ segment) pipeline over the shared models, for hosts other than the plugin.</summary>
    public async Task<GroundedPipeline> CreatePipelineAsync(DetectionRequest request, bool segment, bool multimask = false)
    {
        var (detector, segmenter) = await _models.Value.ConfigureAwait(false);
        var builder = GroundedPipeline.Builder().UseInstrumentation().Detect(detector, request);
        return (segment ? builder.Segment(segmenter, new SegmentOptions { Multimask = multimask }) : builder).Build();
    }

    /// <summary>Boxes, scores and labels; writes an overlay.</summary>
    public Task<AgentResult> DetectAsync(string image, string prompt, float? boxThreshold, float? textThreshold, CancellationToken cancellationToken) =>
        RunAsync("detect", image, prompt, boxThreshold, textThreshold, segment: false, OutputFormats.Overlay | OutputFormats.Json, null, cancellationToken);

    /// <summary>Masks of what the prompt names; writes an overlay, one mask PNG per object and the full JSON.</summary>
    public Task<AgentResult> SegmentAsync(string image, string prompt, float? boxThreshold, float? textThreshold, CancellationToken cancellationToken) =>
        RunAsync("segment", image, prompt, boxThreshold, textThreshold, segment: true, OutputFormats.Overlay | OutputFormats.Masks | OutputFormats.Json, null, cancellationToken);

    /// <summary>Each object on a transparent background, cropped to its box.</summary>
    public Task<AgentResult> CutOutAsync(string image, string prompt, CancellationToken cancellationToken) =>
        RunAsync("cutout", image, prompt, null, null, segment: true, OutputFormats.Cutouts | OutputFormats.Json, null, cancellationToken);

    /// <summary>Removes what the prompt names and fills the hole (LaMa when available, else the classical fill).</summary>
    public async Task<AgentResult> RemoveAsync(string image, string prompt, CancellationToken cancellationToken)
    {
        var kind = _options.Remove.Inpainter ?? (_options.LamaModel is not null || _locator.IsInstalled("lama") ? InpainterKind.Lama : InpainterKind.Classical);
        var inpainter = await InpainterAsync(kind, kind == InpainterKind.Lama ? _options.LamaModel ?? "lama" : null).ConfigureAwait(false);
        return await RunAsync("remove", image, prompt, null, null, segment: true, OutputFormats.Overlay | OutputFormats.Json, (inpainter, _options.Remove), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces what the prompt names with <paramref name="replacement"/> (Stable Diffusion inpainting).</summary>
    public async Task<AgentResult> ReplaceAsync(string image, string prompt, string replacement, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(replacement))
        {
            throw new InvalidRequestException("Say what to paint instead, e.g. \"a red leather sofa\".");
        }

        var kind = _options.Replace.Inpainter ?? InpainterKind.StableDiffusion;
        var inpainter = await InpainterAsync(kind, _options.StableDiffusionModel ?? InpainterFactory.DefaultSet(kind)).ConfigureAwait(false);
        return await RunAsync("replace", image, prompt, null, null, segment: true, OutputFormats.Overlay | OutputFormats.Json, (inpainter, _options.Replace with { Prompt = replacement }), cancellationToken).ConfigureAwait(false);
    }

    private Task<IInpainter> InpainterAsync(InpainterKind kind, string? model) =>
        _inpainters.GetOrAdd($"{kind}|{model}", _ => new Lazy<Task<IInpainter>>(async () =>
        {
            string? folder = model is null ? null : (await _locator.ResolveAsync(model, "inpainter").ConfigureAwait(false)).Folder;
            return InpainterFactory.Create(kind, folder, _options.Runtime);
        })).Value;

    private async Task<AgentResult> RunAsync(string kind, string image, string prompt, float? boxThreshold, float? textThreshold, bool segment, OutputFormats formats, (IInpainter Inpainter, InpaintOptions Options)? edit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new InvalidRequestException("The prompt is empty: say what to find, e.g. \"the bear\".");
        }

        // The records check the ranges: an agent's out-of-range threshold is the same error as a flag's.
        var detect = _options.Detect with { BoxThreshold = boxThreshold ?? _options.Detect.BoxThreshold, TextThreshold = textThreshold ?? _options.Detect.TextThreshold };
        string path = _sandbox.ResolveReadable(image, _options.MaxFileBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.MaxCallDuration);
        try
        {
            var rgb = ImageLoader.Load(path, new ImageLoadOptions { MaxPixels = _options.MaxPixels, MaxFileBytes = _options.MaxFileBytes });
            var request = new DetectionRequest { Prompt = prompt, Options = detect };
            var pipeline = await CreatePipelineAsync(request, segment).ConfigureAwait(false);
            if (edit is var (inpainter, inpaintOptions))
            {
                pipeline = new GroundedPipeline([.. pipeline.Steps, new InpaintStep(inpainter, inpaintOptions)]);
            }

            var context = new PipelineContext(rgb, path);
            await pipeline.RunAsync(context, timeout.Token).ConfigureAwait(false);
            var result = context.ToResult();
            var notes = new List<string>(result.Warnings);
            var objects = result.Objects.OrderByDescending(o => o.Score).ToList();
            if (objects.Count > _options.MaxObjects)
            {
                notes.Add($"{objects.Count} objects found; the {_options.MaxObjects} with the highest scores are returned.");
                objects = objects.GetRange(0, _options.MaxObjects);
            }

            var kept = result with { Objects = objects };
            string folder = _sandbox.NewOutputFolder(kind);
            new ImageOutputWriter(formats, includeCandidates: false).Write(folder, rgb, kept, context.Inpainted);
            var summary = Summarize(kept, result.Objects.Count, folder, formats, notes);
            if (context.Inpainted is not null)
            {
                ((Dictionary<string, object>)summary.Files!)["inpainted"] = Path.Combine(folder, "inpainted.png");
            }

            return summary;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GroundedException($"The call took longer than {_options.MaxCallDuration.TotalSeconds:0} s and was stopped.");
        }
    }

    private static AgentResult Summarize(ImageResult result, int found, string folder, OutputFormats formats, List<string> notes)
    {
        var files = new Dictionary<string, object>();
        if (formats.HasFlag(OutputFormats.Overlay))
        {
            files["overlay"] = Path.Combine(folder, "overlay.png");
        }

        if (formats.HasFlag(OutputFormats.Json))
        {
            files["results"] = Path.Combine(folder, ImageOutputWriter.CompletionMarker);
        }

        var withMasks = Enumerable.Range(0, result.Objects.Count).Where(i => result.Objects[i].Mask is not null).ToList();
        if (formats.HasFlag(OutputFormats.Masks) && withMasks.Count > 0)
        {
            files["masks"] = withMasks.Select(i => Path.Combine(folder, "masks", $"{i:00}.png")).ToList();
        }

        if (formats.HasFlag(OutputFormats.Cutouts) && withMasks.Count > 0)
        {
            files["cutouts"] = withMasks.Select(i => Path.Combine(folder, "cutouts", $"{i:00}.png")).ToList();
        }

        return new AgentResult
        {
            Image = result.ImagePath,
            Width = result.Width,
            Height = result.Height,
            Count = found,
            Objects = [.. result.Objects.Select(o => (o, box: o.Box.ClipTo(result.Width, result.Height))).Select(x => new AgentObject(x.o.Label, Math.Round(x.o.Score, 3), [(int)Math.Round(x.box.X0), (int)Math.Round(x.box.Y0), (int)Math.Round(x.box.X1), (int)Math.Round(x.box.Y1)], x.o.Mask?.Area()))],
            Files = files,
            Notes = notes.Count > 0 ? notes : null,
        };
    }

    private async Task<(GroundingDinoDetector, SamSegmenter)> LoadModelsAsync()
    {
        var (detectorFolder, modelFile) = await _locator.ResolveAsync(_options.Detector, "detector").ConfigureAwait(false);
        var (segmenterFolder, _) = await _locator.ResolveAsync(_options.Segmenter, "segmenter").ConfigureAwait(false);
        var detector = GroundingDinoDetector.Create(detectorFolder, new DetectorOptions { Runtime = _options.Runtime, ModelFile = modelFile });
        try
        {
            return (detector, SamSegmenter.Create(segmenterFolder, new SegmenterOptions { Runtime = _options.Runtime }));
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lazy in _inpainters.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            lazy.Value.Result.Dispose();
        }

        if (_models.IsValueCreated && _models.Value.IsCompletedSuccessfully)
        {
            var (detector, segmenter) = _models.Value.Result;
            detector.Dispose();
            segmenter.Dispose();
        }
    }
}
