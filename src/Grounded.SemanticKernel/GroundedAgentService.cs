using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Pipeline;
using Grounded.Pipeline.Models;
using Grounded.Pipeline.Output;
using Grounded.Pipeline.Results;
using Grounded.SemanticKernel.Sandbox;
using Grounded.Segmenter;

namespace Grounded.SemanticKernel;

/// <summary>
/// The work behind the agent tools: sandboxed inputs and outputs, models loaded once and shared by every call
/// (safe for concurrent calls), per-call limits on size, objects and time. Owns the models; dispose it.
/// </summary>
public sealed class GroundedAgentService : IDisposable
{
    private readonly GroundedAgentOptions _options;
    private readonly FileSandbox _sandbox;
    private readonly Lazy<Task<(GroundingDinoDetector Detector, SamSegmenter Segmenter)>> _models;

    /// <summary>Creates the service; models load on first use.</summary>
    public GroundedAgentService(GroundedAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _sandbox = new FileSandbox(options.AllowedReadFolders, options.OutputFolder ?? throw new InvalidRequestException("An output folder is required."));
        _models = new Lazy<Task<(GroundingDinoDetector, SamSegmenter)>>(LoadModelsAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The sandbox (for hosts that want to show its folders).</summary>
    public FileSandbox Sandbox => _sandbox;

    /// <summary>Builds a detect (+ segment) pipeline over the shared models, for hosts other than the plugin.</summary>
    public async Task<GroundedPipeline> CreatePipelineAsync(DetectionRequest request, bool segment, bool multimask = false)
    {
        var (detector, segmenter) = await _models.Value.ConfigureAwait(false);
        var builder = GroundedPipeline.Builder().Detect(detector, request);
        return (segment ? builder.Segment(segmenter, new SegmentStepOptions { Multimask = multimask }) : builder).Build();
    }

    /// <summary>Boxes, scores and labels; writes an overlay.</summary>
    public Task<AgentResult> DetectAsync(string image, string prompt, float? boxThreshold, float? textThreshold, CancellationToken cancellationToken) =>
        RunAsync("detect", image, prompt, boxThreshold, textThreshold, segment: false, OutputFormats.Overlay | OutputFormats.Json, cancellationToken);

    /// <summary>Masks of what the prompt names; writes an overlay, one mask PNG per object and the full JSON.</summary>
    public Task<AgentResult> SegmentAsync(string image, string prompt, float? boxThreshold, float? textThreshold, CancellationToken cancellationToken) =>
        RunAsync("segment", image, prompt, boxThreshold, textThreshold, segment: true, OutputFormats.Overlay | OutputFormats.Masks | OutputFormats.Json, cancellationToken);

    /// <summary>Each object on a transparent background, cropped to its box.</summary>
    public Task<AgentResult> CutOutAsync(string image, string prompt, CancellationToken cancellationToken) =>
        RunAsync("cutout", image, prompt, null, null, segment: true, OutputFormats.Cutouts | OutputFormats.Json, cancellationToken);

    private async Task<AgentResult> RunAsync(string kind, string image, string prompt, float? boxThreshold, float? textThreshold, bool segment, OutputFormats formats, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new InvalidRequestException("The prompt is empty: say what to find, e.g. \"the bear\".");
        }

        CheckThreshold(boxThreshold, "box_threshold");
        CheckThreshold(textThreshold, "text_threshold");
        string path = _sandbox.ResolveReadable(image, _options.MaxFileBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.MaxCallDuration);
        try
        {
            var rgb = ImageLoader.Load(path, new ImageLoadOptions { MaxPixels = _options.MaxPixels, MaxFileBytes = _options.MaxFileBytes });
            var request = new DetectionRequest { Prompt = prompt, BoxThreshold = boxThreshold ?? _options.BoxThreshold, TextThreshold = textThreshold ?? _options.TextThreshold };
            var pipeline = await CreatePipelineAsync(request, segment).ConfigureAwait(false);
            var result = await pipeline.RunAsync(rgb, path, timeout.Token).ConfigureAwait(false);
            var notes = new List<string>(result.Warnings);
            var objects = result.Objects.OrderByDescending(o => o.Score).ToList();
            if (objects.Count > _options.MaxObjects)
            {
                notes.Add($"{objects.Count} objects found; the {_options.MaxObjects} with the highest scores are returned.");
                objects = objects.GetRange(0, _options.MaxObjects);
            }

            var kept = result with { Objects = objects };
            string folder = _sandbox.NewOutputFolder(kind);
            new ImageOutputWriter(formats, includeCandidates: false).Write(folder, rgb, kept);
            return Summarize(kept, result.Objects.Count, folder, formats, notes);
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
            Objects = [.. result.Objects.Select(o => new AgentObject(o.Label, Math.Round(o.Score, 3), [(int)Math.Round(o.Box.X0), (int)Math.Round(o.Box.Y0), (int)Math.Round(o.Box.X1), (int)Math.Round(o.Box.Y1)], o.Mask?.Area()))],
            Files = files,
            Notes = notes.Count > 0 ? notes : null,
        };
    }

    private static void CheckThreshold(float? value, string name)
    {
        if (value is float v && !(v is >= 0f and <= 1f))
        {
            throw new InvalidRequestException($"{name} must be between 0 and 1; got {v}.");
        }
    }

    private async Task<(GroundingDinoDetector, SamSegmenter)> LoadModelsAsync()
    {
        var store = new ModelStore(_options.ModelsFolder);
        var manifest = ModelManifest.Load();
        var (detectorFolder, modelFile) = await ResolveAsync(store, manifest, _options.Detector, "detector").ConfigureAwait(false);
        var (segmenterFolder, _) = await ResolveAsync(store, manifest, _options.Segmenter, "segmenter").ConfigureAwait(false);
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

    private async Task<(string Folder, string? ModelFile)> ResolveAsync(ModelStore store, ModelManifest manifest, string? value, string kind)
    {
        if (value is not null && Directory.Exists(value))
        {
            return (value, null);
        }

        var set = value is null ? manifest.Default(kind) : manifest.Get(value);
        return (await store.EnsureAsync(set, _options.AllowDownload).ConfigureAwait(false), set.ModelFile);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_models.IsValueCreated && _models.Value.IsCompletedSuccessfully)
        {
            var (detector, segmenter) = _models.Value.Result;
            detector.Dispose();
            segmenter.Dispose();
        }
    }
}
