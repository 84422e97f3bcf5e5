using Grounded.Results;
using Grounded.Detector;
using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Masks;
using Grounded.Pipeline;
using Grounded.Segmenter;
using Grounded.Tests.Support;

namespace Grounded.Tests.Pipeline;

/// <summary>The pipeline with test doubles: stage order, concurrency of detector and encoder, one decoder batch.</summary>
public class GroundedPipelineTests
{
    [Fact]
    public async Task The_encoder_runs_while_the_detector_does_and_all_boxes_go_to_one_decoder_call()
    {
        var encoderStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var detector = new FakeDetector(async () =>
        {
            // The detector only finishes once the encoder has started: a sequential pipeline would deadlock here.
            await encoderStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return [new GroundedObject("dog", "dog", 0.9f, new BoxXyxy(1, 1, 5, 5)) { QueryIndex = 0 }, new GroundedObject("cat", "cat", 0.8f, new BoxXyxy(2, 2, 8, 8)) { QueryIndex = 1 }];
        });
        var segmenter = new FakeSegmenter(encoderStarted);
        var pipeline = GroundedPipeline.Builder().UseInstrumentation().Detect(detector, DetectionRequest.For("dog . cat")).Segment(segmenter).Build();

        var result = await pipeline.RunAsync(new RgbImage(10, 10), "test.png");

        Assert.Equal(["dog", "cat"], result.Objects.Select(o => o.Label));
        Assert.Equal(1, segmenter.DecodeCalls);
        Assert.Equal(2, segmenter.LastPromptCount);
        Assert.All(result.Objects, o => Assert.NotNull(o.Mask));
        Assert.Contains("detect", result.TimingsMs.Keys);
        Assert.Contains("encode", result.TimingsMs.Keys);
        Assert.Contains("decode", result.TimingsMs.Keys);
    }

    [Fact]
    public async Task No_detection_gives_an_empty_result_and_no_decoder_call()
    {
        var segmenter = new FakeSegmenter(new TaskCompletionSource());
        var pipeline = GroundedPipeline.Builder().Detect(new FakeDetector(() => Task.FromResult<IReadOnlyList<GroundedObject>>([])), DetectionRequest.For("unicorn")).Segment(segmenter).Build();

        var result = await pipeline.RunAsync(new RgbImage(4, 4), "empty.png");

        Assert.Empty(result.Objects);
        Assert.Equal(0, segmenter.DecodeCalls);
    }
}
