using System.Collections.Concurrent;
using Grounded.Agents.Sandbox;
using Grounded.Agents.Tools;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Models;
using Grounded.Outputs;
using Grounded.Pipeline;
using Grounded.Recipes;
using Grounded.Results;
using Grounded.Segmenter;

namespace Grounded.Agents;

/// <summary>
/// The work behind the agent tools: sandboxed inputs and outputs, models loaded once and shared by every call,
/// and per-call limits — input size and pixels, mask pixels, objects, time (loading included), concurrent calls,
/// output bytes per call and in all. A call that fails or is cancelled leaves no folder. Owns the models; dispose it.
/// </summary>
public sealed class GroundedAgentService : IDisposable
{
    private readonly GroundedAgentOptions _options;
    private readonly FileSandbox _sandbox;
    private readonly ModelLocator _locator;
    private readonly Lazy<Task<(GroundingDinoDetector Detector, SamSegmenter Segmenter)>> _models;
    private readonly ConcurrentDictionary<string, Lazy<Task<IInpainter>>> _inpainters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private int _waiting;

    /// <summary>Creates the service; models load on first use.</summary>
    public GroundedAgentService(GroundedAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _sandbox = new FileSandbox(options.AllowedReadFolders, options.OutputFolder ?? throw new InvalidRequestException("An output folder is required."));
        _locator = ModelLocator.Create(options.ModelsFolder, options.AllowDownload);
        _models = new Lazy<Task<(GroundingDinoDetector, SamSegmenter)>>(LoadModelsAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentCalls));
    }

    /// <summary>The sandbox (for hosts that want to show its folders).</summary>
    public FileSandbox Sandbox => _sandbox;

    /// <summary>The options.</summary>
    public GroundedAgentOptions Options => _options;

    /// <summary>True when a tool's model kind (detector, segmenter, inpainter:sd) is installed, or may be downloaded.</summary>
    public bool IsAvailable(string need)
    {
        ArgumentNullException.ThrowIfNull(need);
        if (_options.AllowDownload)
        {
            return true;
        }

        var (value, kind) = need switch
        {
            "detector" => (_options.Detector, "detector"),
            "segmenter" => (_options.Segmenter, "segmenter"),
            _ => (_options.StableDiffusionModel ?? InpainterFactory.DefaultSet(InpainterKind.StableDiffusion), "inpainter"),
        };
        if (value is not null && ModelLocator.IsPath(value))
        {
            return Directory.Exists(value) || File.Exists(value);
        }

        try
        {
            return _locator.IsInstalled(_locator.SetFor(value, kind).Name);
        }
        catch (GroundedException)
        {
            return false;
        }
    }

    /// <summary>Builds a detect (+ segment) pipeline over the shared models, for hosts other than the tools.</summary>
    public async Task<GroundedPipeline> CreatePipelineAsync(DetectionRequest request, bool segment, bool multimask = false)
    {
        var (detector, segmenter) = await _models.Value.ConfigureAwait(false);
        var builder = GroundedPipeline.Builder().UseInstrumentation().Detect(detector, request);
        return (segment ? builder.Segment(segmenter, new SegmentOptions { Multimask = multimask }) : builder).Build();
    }

    /// <summary>Reads an image's format, size and orientation (no model runs).</summary>
    public async Task<ImageDescription> DescribeAsync(string image, CancellationToken cancellationToken)
    {
        using var slot = await EnterAsync(cancellationToken).ConfigureAwait(false);
        var file = _sandbox.Read(image, _options.MaxFileBytes);
        using var stream = new MemoryStream(file.Bytes, writable: false);
        var (format, width, height, orientation) = ImageLoader.Identify(stream, file.Shown);
        bool swapped = orientation >= 5;
        return new ImageDescription
        {
            Image = file.Shown,
            Format = format,
            Width = width,
            Height = height,
            Orientation = orientation,
            OrientedWidth = swapped ? height : width,
            OrientedHeight = swapped ? width : height,
            Bytes = file.Bytes.Length,
        };
    }

    /// <summary>Runs one tool call: reads the image through the sandbox, runs the models, writes the outputs in one new folder.</summary>
    public async Task<AgentResult> RunAsync(AgentTask task, AgentRequest request, IProgress<AgentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool needsPrompt = task != AgentTask.Everything && !(task == AgentTask.Segment && request.Prompts is { Count: > 0 });
        if (needsPrompt && string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new InvalidRequestException(task == AgentTask.Segment
                ? "The prompt is empty: say what to find, e.g. \"the bear\", or give boxes or points."
                : "The prompt is empty: say what to find, e.g. \"the bear\".");
        }

        if (task == AgentTask.Segment && request.Prompts is { Count: > 0 } && !string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw new InvalidRequestException("Give either a prompt or boxes/points, not both.");
        }

        if (task == AgentTask.Replace && string.IsNullOrWhiteSpace(request.Replacement))
        {
            throw new InvalidRequestException("Say what to paint instead, e.g. \"a red leather sofa\".");
        }

        // The records check the ranges: an agent's out-of-range threshold is the same error as a flag's.
        var detect = _options.Detect with
        {
            BoxThreshold = request.BoxThreshold ?? _options.Detect.BoxThreshold,
            TextThreshold = request.TextThreshold ?? _options.Detect.TextThreshold,
        };

        using var slot = await EnterAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.MaxCallDuration);
        try
        {
            progress?.Report(new AgentProgress("reading the image", 0));
            var file = _sandbox.Read(request.Image, _options.MaxFileBytes);
            RgbImage rgb;
            using (var stream = new MemoryStream(file.Bytes, writable: false))
            {
                rgb = ImageLoader.Load(stream, file.Shown, new ImageLoadOptions { MaxPixels = _options.MaxPixels, MaxFileBytes = _options.MaxFileBytes });
            }

            var notes = new List<string>();
            int limit = Math.Min(request.MaxObjects ?? _options.MaxObjects, _options.MaxObjects);
            if (task != AgentTask.Detect)
            {
                limit = MaskBudget(rgb, limit, notes);
            }

            progress?.Report(new AgentProgress("loading the models", 0.05));
            int detected = 0;
            var pipeline = await BuildAsync(task, request, detect, rgb, limit, n => detected = n, progress, timeout.Token).ConfigureAwait(false);
            var context = new PipelineContext(rgb, file.Shown);
            await pipeline.RunAsync(context, timeout.Token).ConfigureAwait(false);
            var result = context.ToResult();
            notes.AddRange(result.Warnings);

            // The detector's boxes were cut to the limit before any mask was made; segment-everything's masks are cut here.
            int found = Math.Max(detected, result.Objects.Count);
            var objects = result.Objects.OrderByDescending(o => o.Score).Take(limit).ToList();
            if (found > limit)
            {
                notes.Add($"{found} objects found; the {limit} with the highest scores are returned.");
            }

            progress?.Report(new AgentProgress("writing the outputs", 0.95));
            var kept = result with { Objects = objects };
            var formats = Formats(task);
            using var staging = _sandbox.BeginOutput(task.ToString().ToLowerInvariant());
            new ImageOutputWriter(formats, includeCandidates: false).Write(staging.Path, rgb, kept, context.Inpainted);
            long written = staging.Bytes;
            if (written > _options.MaxOutputBytesPerCall)
            {
                throw new InvalidRequestException($"The outputs would take {written / 1048576.0:0.0} MB, over the limit of {_options.MaxOutputBytesPerCall / 1048576.0:0.0} MB a call; ask for fewer objects (max_objects) or a smaller image.");
            }

            timeout.Token.ThrowIfCancellationRequested();
            string folder = staging.Commit();
            int pruned = _sandbox.Prune(_options.MaxOutputFolders, _options.MaxOutputBytes, keep: folder);
            if (pruned > 0)
            {
                notes.Add($"{pruned} older output folder(s) were removed to stay within the output limits.");
            }

            progress?.Report(new AgentProgress("done", 1));
            return AgentAnswers.Summarize(kept, found, folder, formats, notes, context.Inpainted is not null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GroundedException($"The call took longer than {_options.MaxCallDuration.TotalSeconds:0} s and was stopped; try a smaller image or fewer objects.");
        }
    }

    /// <summary>Keeps the masks of one call within <see cref="GroundedAgentOptions.MaxMaskPixels"/>.</summary>
    private int MaskBudget(RgbImage image, int limit, List<string> notes)
    {
        long perMask = (long)image.Width * image.Height;
        long fit = _options.MaxMaskPixels / perMask;
        if (fit < 1)
        {
            throw new InvalidRequestException($"The image is {image.Width}x{image.Height}: one full-resolution mask of it is over this server's budget of {_options.MaxMaskPixels} mask pixels; give a smaller image.");
        }

        if (fit < limit)
        {
            notes.Add($"The image is {image.Width}x{image.Height}: at most {fit} objects fit this server's mask budget, so at most {fit} are returned.");
            return (int)fit;
        }

        return limit;
    }

    private async Task<GroundedPipeline> BuildAsync(AgentTask task, AgentRequest request, DetectOptions detect, RgbImage image, int limit, Action<int> detected, IProgress<AgentProgress>? progress, CancellationToken cancellationToken)
    {
        var (detector, segmenter) = await LoadedModelsAsync(cancellationToken).ConfigureAwait(false);
        var builder = GroundedPipeline.Builder().UseInstrumentation()
            .Use(d => new ReportingDetector(new TopObjectsDetector(d, limit, detected), progress))
            .Use(s => new ReportingSegmenter(s, progress));
        var segment = new SegmentOptions();
        switch (task)
        {
            case AgentTask.Everything:
                var everything = request.PointsPerSide is int side ? new EverythingOptions { PointsPerSide = side } : EverythingOptions.Default;
                return builder.SegmentEverything(segmenter, everything, segment).Build();
            case AgentTask.Segment when request.Prompts is { Count: > 0 } prompts:
                var (fitted, _) = PromptGeometry.Fit(prompts, image.Width, image.Height);
                return builder.Segment(segmenter, segment, fitted).Build();
            case AgentTask.Detect:
                return builder.Detect(detector, new DetectionRequest { Prompt = request.Prompt, Options = detect }).Build();
        }

        builder = builder.Detect(detector, new DetectionRequest { Prompt = request.Prompt, Options = detect }).Segment(segmenter, segment);
        if (task == AgentTask.Remove)
        {
            var kind = _options.Remove.Inpainter ?? (_options.LamaModel is not null || _locator.IsInstalled("lama") ? InpainterKind.Lama : InpainterKind.Classical);
            var inpainter = await InpainterAsync(kind, kind == InpainterKind.Lama ? _options.LamaModel ?? "lama" : null).WaitAsync(cancellationToken).ConfigureAwait(false);
            builder = builder.Inpaint(inpainter, _options.Remove);
        }
        else if (task == AgentTask.Replace)
        {
            var kind = _options.Replace.Inpainter ?? InpainterKind.StableDiffusion;
            var inpainter = await InpainterAsync(kind, _options.StableDiffusionModel ?? InpainterFactory.DefaultSet(kind)).WaitAsync(cancellationToken).ConfigureAwait(false);
            var options = _options.Replace with
            {
                Prompt = request.Replacement!,
                Steps = request.Steps ?? _options.Replace.Steps,
                GuidanceScale = request.Guidance ?? _options.Replace.GuidanceScale,
                Seed = request.Seed ?? _options.Replace.Seed,
            };
            var steps = progress is null ? null : new Progress<(int Step, int Total)>(p => progress.Report(new AgentProgress($"painting, step {p.Step} of {p.Total}", 0.5 + (0.4 * p.Step / p.Total))));
            builder = builder.Inpaint(inpainter, options, steps);
        }

        return builder.Build();
    }

    private static OutputFormats Formats(AgentTask task) => task switch
    {
        AgentTask.Detect => OutputFormats.Overlay | OutputFormats.Json,
        AgentTask.Segment or AgentTask.Everything => OutputFormats.Overlay | OutputFormats.Masks | OutputFormats.Json,
        AgentTask.CutOut => OutputFormats.Overlay | OutputFormats.Cutouts | OutputFormats.Json,
        _ => OutputFormats.Overlay | OutputFormats.Json,
    };

    /// <summary>A slot among <see cref="GroundedAgentOptions.MaxConcurrentCalls"/>, after a bounded wait in a bounded queue.</summary>
    private async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Slot(_slots);
        }

        if (Interlocked.Increment(ref _waiting) > _options.MaxQueuedCalls)
        {
            Interlocked.Decrement(ref _waiting);
            throw new AgentBusyException($"Busy: {_options.MaxConcurrentCalls} calls are running and {_options.MaxQueuedCalls} are waiting; retry in a few seconds.");
        }

        try
        {
            if (!await _slots.WaitAsync(_options.QueueWait, cancellationToken).ConfigureAwait(false))
            {
                throw new AgentBusyException($"Busy: no free slot within {_options.QueueWait.TotalSeconds:0} s ({_options.MaxConcurrentCalls} calls run at once); retry in a few seconds.");
            }

            return new Slot(_slots);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task<(GroundingDinoDetector Detector, SamSegmenter Segmenter)> LoadedModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _models.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModelsUnavailableException)
        {
            throw new ModelException($"The models are not installed: run `grounded models pull {_locator.SetFor(_options.Detector is { } d && !ModelLocator.IsPath(d) ? d : null, "detector").Name}` and `grounded models pull {_locator.SetFor(_options.Segmenter is { } s && !ModelLocator.IsPath(s) ? s : null, "segmenter").Name}`.");
        }
    }

    private Task<IInpainter> InpainterAsync(InpainterKind kind, string? model) =>
        _inpainters.GetOrAdd($"{kind}|{model}", _ => new Lazy<Task<IInpainter>>(async () =>
        {
            string? folder;
            try
            {
                folder = model is null ? null : (await _locator.ResolveAsync(model, "inpainter").ConfigureAwait(false)).Folder;
            }
            catch (ModelsUnavailableException)
            {
                throw new ModelException($"The inpainting model is not installed: run `grounded models pull {model}`.");
            }

            return InpainterFactory.Create(kind, folder, _options.Runtime);
        })).Value;

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

        _slots.Dispose();
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
