using System.Collections.Concurrent;
using Grounded.Batch;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Outputs;
using Grounded.Pipeline;
using Grounded.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Tests.Pipeline;

/// <summary>The batch runner streams in input order with bounded work, and stops cleanly.</summary>
public sealed class BatchRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-batch-").FullName;

    [Fact]
    public async Task Results_stream_in_input_order_before_the_last_image_starts()
    {
        var images = WriteImages(8);
        var events = new ConcurrentQueue<string>();
        int started = 0;
        var detector = new FakeDetector(async () =>
        {
            events.Enqueue($"start {Interlocked.Increment(ref started)}");
            await Task.Delay(150);
            return FakeDetections.Two();
        });
        var pipeline = GroundedPipeline.Builder().Detect(detector, DetectionRequest.For("dog")).Build();
        var runner = new BatchRunner(pipeline, new BatchOptions { Output = new OutputOptions { Directory = null, Parallelism = 2 } });
        var order = new List<string>();

        var summary = await runner.RunAsync(images, r =>
        {
            events.Enqueue($"result {Path.GetFileName(r.ImagePath)}");
            order.Add(r.ImagePath);
        });

        Assert.Equal(images, order);
        Assert.Equal(8, summary.Processed);
        var log = events.ToList();
        Assert.True(log.IndexOf("result 0.png") < log.IndexOf("start 8"), string.Join(", ", log));
    }

    [Fact]
    public async Task A_cancelled_run_returns_only_after_every_image_in_flight_ended()
    {
        var images = WriteImages(8);
        var detector = new FakeDetector(async () =>
        {
            await Task.Delay(100);
            return FakeDetections.Two();
        });
        var segmenter = new FakeSegmenter();
        var pipeline = GroundedPipeline.Builder().Detect(detector, DetectionRequest.For("dog")).Segment(segmenter).Build();
        var runner = new BatchRunner(pipeline, new BatchOptions { Output = new OutputOptions { Directory = Path.Combine(_dir, "out"), Parallelism = 3 } });
        using var cts = new CancellationTokenSource();
        var unobserved = await UnobservedExceptions.DuringAsync(async () =>
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(images, _ => cts.Cancel(), cancellationToken: cts.Token));

            // What the CLI does next: dispose the models. Nothing may still be using them.
            Assert.Equal(0, detector.InFlight);
            detector.Dispose();
            segmenter.Dispose();
        });

        Assert.Empty(unobserved);
    }

    [Fact]
    public async Task A_fatal_error_stops_the_run_after_every_image_in_flight_ended()
    {
        var images = WriteImages(6);
        var detector = new FakeDetector(async () =>
        {
            await Task.Delay(50);
            return FakeDetections.Two();
        });
        var pipeline = GroundedPipeline.Builder().Detect(detector, DetectionRequest.For("dog")).Build();
        string notAFolder = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        var runner = new BatchRunner(pipeline, new BatchOptions { Output = new OutputOptions { Directory = notAFolder, Parallelism = 2 } });

        await Assert.ThrowsAnyAsync<IOException>(() => runner.RunAsync(images));

        Assert.Equal(0, detector.InFlight);
    }

    private List<string> WriteImages(int count)
    {
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string path = Path.Combine(_dir, $"{i}.png");
            using var image = new Image<Rgb24>(12, 10);
            image.SaveAsPng(path);
            paths.Add(path);
        }

        return paths;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
