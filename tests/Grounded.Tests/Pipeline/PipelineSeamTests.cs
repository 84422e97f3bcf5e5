using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Outputs;
using Grounded.Pipeline;
using Grounded.Pipeline.Everything;
using Grounded.Segmenter;
using Grounded.Settings;
using Grounded.Tests.Support;

namespace Grounded.Tests.Pipeline;

/// <summary>The composition seams: validated options, delegating stages, any segmenter running everything.</summary>
public class PipelineSeamTests
{
    [Theory]
    [InlineData("box_threshold")]
    [InlineData("text_threshold")]
    [InlineData("nms_iou")]
    [InlineData("strength")]
    [InlineData("steps")]
    [InlineData("dilate")]
    [InlineData("points_per_side")]
    [InlineData("pred_iou_thresh")]
    [InlineData("crop_layers")]
    [InlineData("threads")]
    [InlineData("parallelism")]
    [InlineData("mask_threshold")]
    public void The_library_refuses_an_out_of_range_option_naming_the_field(string field)
    {
        Action build = field switch
        {
            "box_threshold" => () => _ = new DetectOptions { BoxThreshold = 5 },
            "text_threshold" => () => _ = new DetectOptions { TextThreshold = -0.1f },
            "nms_iou" => () => _ = DetectOptions.Default with { NmsIou = float.NaN },
            "strength" => () => _ = new InpaintOptions { Strength = 7 },
            "steps" => () => _ = new InpaintOptions { Steps = 0 },
            "dilate" => () => _ = new InpaintOptions { Dilate = -4 },
            "points_per_side" => () => _ = new EverythingOptions { PointsPerSide = 10000 },
            "pred_iou_thresh" => () => _ = new EverythingOptions { PredIouThresh = float.NaN },
            "crop_layers" => () => _ = new EverythingOptions { CropNLayers = -1 },
            "threads" => () => _ = new RuntimeOptions { IntraOpThreads = 100000 },
            "parallelism" => () => _ = new OutputOptions { Parallelism = 0 },
            "mask_threshold" => () => _ = new SegmentOptions { MaskThreshold = float.PositiveInfinity },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var error = Assert.Throws<InvalidSettingException>(build);

        Assert.Equal(field, error.ParamName);
        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentOutOfRangeException>(error);
    }

    [Fact]
    public void Unknown_names_are_refused_with_the_choices()
    {
        var error = Assert.Throws<InvalidSettingException>(() => SettingNames.Parse<InpainterKind>("picasso", "inpainter"));

        Assert.Equal("inpainter is classical, lama or sd; got 'picasso'.", error.Message);
        Assert.Equal(NmsMode.ClassAgnostic, SettingNames.Parse<NmsMode>("class-agnostic", "nms"));
        Assert.Equal(OutputFormats.Overlay | OutputFormats.Json, SettingNames.Parse<OutputFormats>("overlay, json", "formats"));
    }

    [Fact]
    public async Task A_delegating_stage_sees_every_call()
    {
        var detector = new FakeDetector(() => Task.FromResult(FakeDetections.Two()));
        var segmenter = new FakeSegmenter();
        CountingDetector? countingDetector = null;
        CountingSegmenter? countingSegmenter = null;
        var pipeline = GroundedPipeline.Builder()
            .Detect(detector, DetectionRequest.For("dog . cat"))
            .Segment(segmenter)
            .Use(d => countingDetector = new CountingDetector(d))
            .Use(s => countingSegmenter = new CountingSegmenter(s))
            .UseInstrumentation()
            .Build();

        for (int i = 0; i < 3; i++)
        {
            var result = await pipeline.RunAsync(new RgbImage(10, 10));
            Assert.Equal(2, result.Objects.Count);
            Assert.Contains("detect", result.TimingsMs.Keys);
        }

        Assert.Equal(3, countingDetector!.Calls);
        Assert.Equal(3, countingSegmenter!.Encodes);
        Assert.Equal(3, countingSegmenter.Decodes);
    }

    [Fact]
    public async Task A_wrapped_segmenter_runs_everything()
    {
        var wrapped = new CountingSegmenter(new FakeSegmenter());
        var pipeline = GroundedPipeline.Builder()
            .SegmentEverything(wrapped, new EverythingOptions { PointsPerSide = 2, PointsPerBatch = 1, PredIouThresh = 0, StabilityScoreThresh = 0 })
            .Build();

        var result = await pipeline.RunAsync(new RgbImage(40, 40), "grid");

        Assert.Equal(4, result.Objects.Count);
        Assert.Equal(1, wrapped.Encodes);
        Assert.Equal(4, wrapped.PointBatches);
        Assert.All(result.Objects, o => Assert.Equal(25, o.Mask!.Area()));
    }

    [Fact]
    public async Task Cancelling_segment_everything_returns_only_after_every_decoder_call_ended()
    {
        var segmenter = new FakeSegmenter { PointDelay = TimeSpan.FromMilliseconds(50) };
        var generator = new AutomaticMaskGenerator(segmenter, new EverythingOptions { PointsPerSide = 8, PointsPerBatch = 1 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(120));
        var unobserved = await UnobservedExceptions.DuringAsync(async () =>
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(new RgbImage(64, 64), cts.Token));
            Assert.Equal(0, segmenter.InFlight);
            segmenter.Dispose();
        });

        Assert.Empty(unobserved);
    }
}
