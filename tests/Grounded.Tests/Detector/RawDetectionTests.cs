using Grounded.Detector;
using Grounded.Tests.Support;

namespace Grounded.Tests.Detector;

/// <summary>One raw run re-filtered under other thresholds and NMS gives exactly what a fresh run gives.</summary>
public class RawDetectionTests
{
    [Fact]
    public async Task Refiltering_a_raw_run_equals_running_again()
    {
        using var detector = GroundingDinoDetector.Create(Fixtures.Path("gdino"));
        var image = Fixtures.Image("cat");
        var raw = await detector.DetectRawAsync(image, DetectionRequest.For("cat . remote control . couch"));
        int compared = 0;
        foreach (float box in new[] { 0.05f, 0.2f, 0.3f, 0.5f })
        {
            foreach (float text in new[] { 0.1f, 0.25f, 0.6f })
            {
                foreach (var nms in new[] { NmsMode.None, NmsMode.PerClass, NmsMode.ClassAgnostic })
                {
                    var options = new DetectOptions { BoxThreshold = box, TextThreshold = text, Nms = nms };
                    var fresh = await detector.DetectAsync(image, DetectionRequest.For("cat . remote control . couch", options));
                    var refiltered = detector.Postprocess(raw, options);
                    Assert.Equal(fresh.Detections, refiltered.Detections);
                    compared += fresh.Detections.Count;
                }
            }
        }

        Assert.True(compared > 0);
        Assert.Throws<InvalidRequestException>(() => detector.Postprocess(raw, new DetectOptions { CaptionMode = CaptionMode.Raw }));
    }
}
