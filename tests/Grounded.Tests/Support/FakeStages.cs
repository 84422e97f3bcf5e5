using Grounded.Results;
using Grounded.Detector;
using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Masks;
using Grounded.Segmenter;

namespace Grounded.Tests.Support;

/// <summary>A detector double: answers what <c>detect</c> returns, and counts calls in flight.</summary>
internal sealed class FakeDetector(Func<Task<IReadOnlyList<GroundedObject>>> detect) : IDetector
{
    private int _inFlight;

    public bool Disposed { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Interlocked.Increment(ref _inFlight);
        try
        {
            return new(image.Width, image.Height, await detect(), []);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async Task<IReadOnlyList<DetectionResult>> DetectBatchAsync(IReadOnlyList<RgbImage> images, DetectionRequest request, CancellationToken cancellationToken = default) =>
        [await DetectAsync(images[0], request, cancellationToken)];

    public void Dispose() => Disposed = true;
}

/// <summary>
/// A segmenter double: empty masks for prompts; for point grids, a square of positive logits around each point
/// (so segment-everything finds one object per point). <see cref="PointDelay"/> slows each grid batch.
/// </summary>
internal sealed class FakeSegmenter(TaskCompletionSource? encoderStarted = null) : ISegmenter
{
    private int _inFlight;

    public int DecodeCalls { get; private set; }

    public int LastPromptCount { get; private set; }

    public TimeSpan PointDelay { get; init; }

    public bool Disposed { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        encoderStarted?.TrySetResult();
        return Task.FromResult(TestEmbeddings.Of(image));
    }

    public Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        DecodeCalls++;
        LastPromptCount = request.Prompts.Count;
        var objects = request.Prompts.Select(p => new SegmentedObject([new MaskCandidate(new BinaryMask(embedding.OriginalWidth, embedding.OriginalHeight), 0.5f, [])], 0)).ToList();
        return Task.FromResult(new SegmentationResult(objects));
    }

    public async Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (PointDelay > TimeSpan.Zero)
            {
                await Task.Delay(PointDelay, CancellationToken.None);
            }

            ObjectDisposedException.ThrowIf(Disposed, this);
            int w = embedding.OriginalWidth, h = embedding.OriginalHeight;
            var logits = new float[w * h];
            for (int p = 0; p < points.Count; p++)
            {
                Array.Fill(logits, -10f);
                int cx = (int)points[p].X, cy = (int)points[p].Y;
                for (int y = Math.Max(0, cy - 2); y < Math.Min(h, cy + 3); y++)
                {
                    for (int x = Math.Max(0, cx - 2); x < Math.Min(w, cx + 3); x++)
                    {
                        logits[(y * w) + x] = 10f;
                    }
                }

                sink(p, 0, 0.99f, logits);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose() => Disposed = true;
}

/// <summary>A delegating detector that counts the calls it sees.</summary>
internal sealed class CountingDetector(IDetector inner) : DelegatingDetector(inner)
{
    public int Calls;

    public override Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return base.DetectAsync(image, request, cancellationToken);
    }
}

/// <summary>A delegating segmenter that counts the calls it sees.</summary>
internal sealed class CountingSegmenter(ISegmenter inner) : DelegatingSegmenter(inner)
{
    public int Encodes;
    public int Decodes;
    public int PointBatches;

    public override Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Encodes);
        return base.EncodeAsync(image, cancellationToken);
    }

    public override Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Decodes);
        return base.SegmentAsync(embedding, request, cancellationToken);
    }

    public override Task DecodePointsAsync(ImageEmbedding embedding, IReadOnlyList<(float X, float Y)> points, float? minimumPredictedIou, PointMaskSink sink, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref PointBatches);
        return base.DecodePointsAsync(embedding, points, minimumPredictedIou, sink, cancellationToken);
    }
}

/// <summary>Detections for fakes.</summary>
internal static class FakeDetections
{
    public static IReadOnlyList<GroundedObject> Two() => [new GroundedObject("dog", "dog", 0.9f, new BoxXyxy(1, 1, 5, 5)) { QueryIndex = 0 }, new GroundedObject("cat", "cat", 0.8f, new BoxXyxy(2, 2, 8, 8)) { QueryIndex = 1 }];
}
