using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grounded.Imaging;
using Grounded.Outputs;
using Grounded.Outputs.Json;
using Grounded.Pipeline;
using Grounded.Results;

namespace Grounded.Batch;

/// <summary>
/// Streams images through a pipeline with bounded parallelism. Results leave in input order as soon as they and
/// those before them are done; at most twice the parallelism of finished results wait for an earlier one. A bad
/// image is reported and skipped; a rerun skips images whose outputs are complete. However the run ends — done,
/// cancelled, or stopped by an error — every image in flight has finished before this returns, so the caller may
/// dispose the models at once.
/// </summary>
public sealed class BatchRunner(GroundedPipeline pipeline, BatchOptions options)
{
    /// <summary>Runs every input.</summary>
    /// <param name="images">Image paths (see <see cref="InputExpander"/>).</param>
    /// <param name="onResult">Called in input order with each image's result (resumed images included), as soon as it is ready.</param>
    /// <param name="progress">Progress, one report per finished image.</param>
    /// <param name="cancellationToken">Stops the run; finished images keep their outputs.</param>
    public async Task<BatchSummary> RunAsync(IReadOnlyList<string> images, Action<ImageResult>? onResult = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var names = OutputNames.For(images);
        var writer = new ImageOutputWriter(options.Output.Formats, options.IncludeCandidates);
        var dataset = options.Output.Directory is null ? null : new DatasetWriter(options.Output.Directory, options.Output.Formats, options.Identity?.Id);
        int parallelism = options.Output.Parallelism;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var running = new SemaphoreSlim(parallelism);
        var started = Channel.CreateBounded<(int Index, Task<Outcome> Work)>(new BoundedChannelOptions(parallelism) { SingleReader = true, SingleWriter = true });
        int done = 0, processed = 0, resumed = 0;
        var failures = new List<(string Path, string Error)>();
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
                    dataset?.Add(names[index], Path.GetFileName(images[index]), result);
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
        return new BatchSummary(processed, resumed, failures) { Dataset = coco };

        async Task<Outcome> RunGuardedAsync(int index)
        {
            try
            {
                var (result, wasResumed) = await RunOneAsync(images[index], names[index], writer, stop.Token).ConfigureAwait(false);
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
                progress?.Report(new BatchProgress(Interlocked.Increment(ref done), images.Count, images[index]));
            }
        }
    }

    private async Task<(ImageResult Result, bool Resumed)> RunOneAsync(string path, string name, ImageOutputWriter writer, CancellationToken cancellationToken)
    {
        // Off the producer's thread: loading and the first synchronous part of the pipeline are CPU work.
        await Task.Yield();
        string? root = options.Output.Directory;
        string fullPath = Path.GetFullPath(path);
        string? folder = null, inputHash = null;
        if (root is not null)
        {
            inputHash = RunIdentity.HashFile(path);
            folder = Path.Combine(root, name);
            var existing = TryRead(folder);
            if (existing?.Run is { } other && other.Input != fullPath)
            {
                // Another image of the same name (from another folder, or another run) owns this folder: keep both.
                folder = Path.Combine(root, $"{name}@{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fullPath)))[..8]}");
                existing = TryRead(folder);
            }

            if (options.Resume == ResumeMode.Auto && existing?.Run is { } run && run.Input == fullPath && run.InputSha256 == inputHash
                && (options.Identity is null || run.Id == options.Identity.Id))
            {
                return (ResultDocument.ToResult(existing), true);
            }
        }

        var image = ImageLoader.Load(path, options.ImageLoad);
        var context = new PipelineContext(image, path);
        await pipeline.RunAsync(context, cancellationToken).ConfigureAwait(false);
        if (folder is not null)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var run = (options.Identity ?? RunIdentity.Of(new Dictionary<string, string>())).For(fullPath, inputHash!);
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
