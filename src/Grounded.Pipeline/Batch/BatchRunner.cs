using Grounded.Imaging;
using Grounded.Pipeline.Output;
using Grounded.Pipeline.Results;

namespace Grounded.Pipeline.Batch;

/// <summary>
/// Streams images through a pipeline with bounded parallelism: each image is loaded, run, written and released before
/// the run moves on, results are reported in input order, a bad image is reported and skipped, and a rerun skips
/// images whose outputs are complete.
/// </summary>
public sealed class BatchRunner(GroundedPipeline pipeline, BatchOptions options)
{
    /// <summary>Runs every input.</summary>
    /// <param name="images">Image paths (see <see cref="InputExpander"/>).</param>
    /// <param name="onResult">Called in input order with each image's result (resumed images included).</param>
    /// <param name="progress">Progress, one report per finished image.</param>
    /// <param name="cancellationToken">Stops the run; finished images keep their outputs.</param>
    public async Task<BatchSummary> RunAsync(IReadOnlyList<string> images, Action<ImageResult>? onResult = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var names = OutputNames.For(images);
        var writer = new ImageOutputWriter(options.Formats, options.IncludeCandidates);
        var dataset = options.OutputFolder is null ? null : new DatasetWriter(options.OutputFolder, options.Formats);
        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxParallelism));
        int done = 0, processed = 0, resumed = 0;
        var failures = new List<(int Index, string Path, string Error)>();
        var tasks = new Task<ImageResult?>[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            int index = i;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    var (result, wasResumed) = await RunOneAsync(images[index], names[index], writer, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref wasResumed ? ref resumed : ref processed);
                    return result;
                }
                catch (GroundedException ex)
                {
                    lock (failures)
                    {
                        failures.Add((index, images[index], ex.Message));
                    }

                    return null;
                }
                finally
                {
                    gate.Release();
                    progress?.Report(new BatchProgress(Interlocked.Increment(ref done), images.Count, images[index]));
                }
            }, cancellationToken);
        }

        for (int i = 0; i < tasks.Length; i++)
        {
            var result = await tasks[i].ConfigureAwait(false);
            if (result is null)
            {
                continue;
            }

            onResult?.Invoke(result);
            dataset?.Add(names[i], Path.GetFileName(images[i]), result);
        }

        dataset?.Complete();
        return new BatchSummary(processed, resumed, [.. failures.OrderBy(f => f.Index).Select(f => (f.Path, f.Error))]);
    }

    private async Task<(ImageResult Result, bool Resumed)> RunOneAsync(string path, string name, ImageOutputWriter writer, CancellationToken cancellationToken)
    {
        string? folder = options.OutputFolder is null ? null : Path.Combine(options.OutputFolder, name);
        if (folder is not null && options.Resume && File.Exists(Path.Combine(folder, ImageOutputWriter.CompletionMarker)))
        {
            try
            {
                return (ResultReader.Read(Path.Combine(folder, ImageOutputWriter.CompletionMarker)), true);
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // An unreadable results.json means the folder is not complete after all: run the image again.
            }
        }

        var image = ImageLoader.Load(path, options.ImageLoad);
        var context = new PipelineContext(image, path);
        await pipeline.RunAsync(context, cancellationToken).ConfigureAwait(false);
        var result = context.ToResult();
        if (folder is not null)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            writer.Write(folder, image, result, context.Inpainted);
            context.Timer.Add("write", sw.Elapsed.TotalMilliseconds);
            result = context.ToResult();
        }

        return (result, false);
    }
}
