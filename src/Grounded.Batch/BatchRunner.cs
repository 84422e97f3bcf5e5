using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grounded.Batch.Datasets;
using Grounded.Batch.Inputs;
using Grounded.Imaging;
using Grounded.IO;
using Grounded.Outputs;
using Grounded.Outputs.Json;
using Grounded.Pipeline;
using Grounded.Results;

namespace Grounded.Batch;

/// <summary>
/// Streams images through a pipeline with bounded parallelism. Results leave in input order as soon as they and
/// those before them are done; at most twice the parallelism of finished results wait for an earlier one. A bad
/// image is reported and skipped; a rerun skips images whose outputs are complete. With a shard, only the images
/// whose key hashes to it run, into the folders the whole run would give them, and the shard's dataset part and
/// report land when it completes. However the run ends — done,
/// cancelled, or stopped by an error — every image in flight has finished before this returns, so the caller may
/// dispose the models at once.
/// </summary>
public sealed class BatchRunner(GroundedPipeline pipeline, BatchOptions options)
{
    /// <summary>Runs every image path, each keyed by its file name.</summary>
    public Task<BatchSummary> RunAsync(IReadOnlyList<string> images, Action<ImageResult>? onResult = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(BatchInput.FromPaths(images), onResult, progress, cancellationToken);

    /// <summary>Runs every input (of the shard, when the options give one).</summary>
    /// <param name="inputs">The run's images with their keys (see <see cref="InputExpander"/>): all of them, also for a shard.</param>
    /// <param name="onResult">Called in input order with each image's result (resumed images included), as soon as it is ready.</param>
    /// <param name="progress">Progress, one report per finished image.</param>
    /// <param name="cancellationToken">Stops the run; finished images keep their outputs.</param>
    public async Task<BatchSummary> RunAsync(IReadOnlyList<BatchInput> inputs, Action<ImageResult>? onResult = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);

        // Names come from the whole list, so a shard writes each image where a single run would.
        var allNames = OutputNames.For(inputs);
        var mine = Enumerable.Range(0, inputs.Count).Where(i => options.Shard?.Contains(inputs[i].Key) ?? true).ToList();
        var images = mine.Select(i => inputs[i]).ToList();
        var names = mine.Select(i => allNames[i]).ToList();
        var shard = options.Shard;
        var writer = new ImageOutputWriter(options.Output.Formats, options.IncludeCandidates);
        using var dataset = options.Output.Directory is null ? null : new DatasetWriter(options.Output.Directory, options.Output.Formats, options.Identity?.Id, options.Classes)
        {
            CocoFileName = ShardSpec.FileName(shard, "coco", ".json"),
            ClassesFileName = ShardSpec.FileName(shard, "classes", ".txt"),
        };
        using var fetcher = images.Any(i => i.IsUrl) ? new ImageFetcher(options.Fetch) : null;
        int parallelism = options.Output.Parallelism;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var running = new SemaphoreSlim(parallelism);
        var started = Channel.CreateBounded<(int Index, Task<Outcome> Work)>(new BoundedChannelOptions(parallelism) { SingleReader = true, SingleWriter = true });
        int done = 0, processed = 0, resumed = 0;
        var failures = new List<(BatchInput Input, string Error)>();
        ExceptionDispatchInfo? fatal = null;

        var producer = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < images.Count; i++)
                {
                    await running.WaitAsync(stop.Token).ConfigureAwait(false);
                    await started.Writer.WriteAsync((i, RunGuardedAsync(i)), CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                started.Writer.Complete();
            }
        }, CancellationToken.None);

        // The consumer drains everything the producer started, even after a stop, so no image outlives the run.
        await foreach (var (index, work) in started.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var outcome = await work.ConfigureAwait(false);
            if (outcome.Error is { } error)
            {
                fatal ??= error;
                await stop.CancelAsync().ConfigureAwait(false);
            }
            else if (outcome.Failure is { } failure)
            {
                failures.Add((images[index], failure));
            }
            else if (outcome.Result is { } result && fatal is null)
            {
                try
                {
                    onResult?.Invoke(result);
                    dataset?.Add(names[index], images[index].Key, result);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    fatal = ExceptionDispatchInfo.Capture(ex);
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
        }

        try
        {
            await producer.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: by the caller, or by the error below.
        }

        fatal?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
        string? coco = dataset?.Complete();
        if (shard is not null && options.Output.Directory is { } root)
        {
            var report = new ShardReport
            {
                RunId = options.Identity?.Id,
                Shard = shard.Index,
                Shards = shard.Count,
                Images = images.Count,
                Processed = processed,
                Resumed = resumed,
                Failed = [.. failures.Select(f => new ShardFailure(f.Input.Key, f.Input.Source, f.Error.Split('\n')[0]))],
            };
            AtomicFile.Write(Path.Combine(root, ShardReport.FileName(shard)), s => System.Text.Json.JsonSerializer.Serialize(s, report, BatchJsonContext.Default.ShardReport));
        }

        return new BatchSummary(processed, resumed, [.. failures.Select(f => (f.Input.Source, f.Error))]) { Dataset = coco, Total = images.Count };

        async Task<Outcome> RunGuardedAsync(int index)
        {
            try
            {
                var (result, wasResumed) = await RunOneAsync(images[index], names[index], writer, fetcher, stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref wasResumed ? ref resumed : ref processed);
                return new Outcome(result, null, null);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return new Outcome(null, null, null);
            }
            catch (GroundedException ex) when (ex.Kind != ErrorKind.Cancelled)
            {
                return new Outcome(null, ex.Message, null);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new Outcome(null, null, ExceptionDispatchInfo.Capture(ex));
            }
            finally
            {
                running.Release();
                progress?.Report(new BatchProgress(Interlocked.Increment(ref done), images.Count, images[index].Source));
            }
        }
    }

    private async Task<(ImageResult Result, bool Resumed)> RunOneAsync(BatchInput input, string name, ImageOutputWriter writer, ImageFetcher? fetcher, CancellationToken cancellationToken)
    {
        // Off the producer's thread: loading and the first synchronous part of the pipeline are CPU work.
        await Task.Yield();
        string? root = options.Output.Directory;
        string source = input.IsUrl ? input.Source : Path.GetFullPath(input.Source);
        if (!input.IsUrl)
        {
            // Before the hash below opens it: a pipe named like an image would hold the run.
            ImageLoader.CheckFile(input.Source, options.ImageLoad);
        }

        string? folder = null, inputHash = null;
        if (root is not null)
        {
            folder = Path.Combine(root, name);
            var existing = TryRead(folder);
            if (existing?.Run is { } other && other.Input != source)
            {
                // Another image of the same name (from another folder, or another run) owns this folder: keep both.
                folder = Path.Combine(root, $"{name}@{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..8]}");
                existing = TryRead(folder);
            }

            bool sameRun = options.Resume == ResumeMode.Auto && existing?.Run is { } run && run.Input == source && (options.Identity is null || run.Id == options.Identity.Id);

            // A URL's bytes are not fetched again to be compared: its key, URL and run identity decide. A file's are.
            inputHash = input.IsUrl ? null : RunIdentity.HashFile(input.Source);
            if (sameRun && (input.IsUrl || existing!.Run!.InputSha256 == inputHash))
            {
                return (ResultDocument.ToResult(existing!), true);
            }
        }

        RgbImage image;
        if (input.IsUrl)
        {
            byte[] fetched = await fetcher!.FetchAsync(input.Source, options.ImageLoad.MaxFileBytes, cancellationToken).ConfigureAwait(false);
            inputHash = folder is null ? null : RunIdentity.HashBytes(fetched);
            using var stream = new MemoryStream(fetched, writable: false);
            image = ImageLoader.Load(stream, input.Source, options.ImageLoad);
        }
        else
        {
            image = ImageLoader.Load(input.Source, options.ImageLoad);
        }

        var context = new PipelineContext(image, input.Source);
        await pipeline.RunAsync(context, cancellationToken).ConfigureAwait(false);
        if (folder is not null)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var run = (options.Identity ?? RunIdentity.Of(new Dictionary<string, string>())).For(source, inputHash!) with { Key = input.Key, Classes = options.Classes };
            ImageFolder.Replace(folder, staging => writer.Write(staging, image, context.ToResult(), context.Inpainted, run));
            context.Timer.AddSince("write", start);
        }

        return (context.ToResult(), false);
    }

    private static ResultJson? TryRead(string folder)
    {
        string marker = Path.Combine(folder, ImageOutputWriter.CompletionMarker);
        try
        {
            return File.Exists(marker) ? ResultReader.ReadDocument(marker) : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            // An unreadable results.json means the folder is not complete after all: the image runs again.
            return null;
        }
    }

    private sealed record Outcome(ImageResult? Result, string? Failure, ExceptionDispatchInfo? Error);
}
