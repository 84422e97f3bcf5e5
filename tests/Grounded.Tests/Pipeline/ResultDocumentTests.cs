using System.Text.Json;
using Grounded.Geometry;
using Grounded.Outputs;
using Grounded.Results;

namespace Grounded.Tests.Pipeline;

/// <summary>Boxes in outputs are clipped to the image; the detector's own box stays beside it, and a resumed result reads it back.</summary>
public class ResultDocumentTests
{
    [Fact]
    public void A_box_reaching_outside_is_clipped_and_the_reference_box_kept()
    {
        var inside = new GroundedObject("cat", "cat", 0.9f, new BoxXyxy(10, 10, 40, 30));
        var outside = new GroundedObject("dog", "dog", 0.8f, new BoxXyxy(-5.5f, 20, 120.25f, 70));
        var result = new ImageResult("x.png", 100, 50, [inside, outside], new Dictionary<string, double>(), []);

        using var doc = JsonDocument.Parse(ResultDocument.ToLine(result, includeCandidates: false));
        var objects = doc.RootElement.GetProperty("objects");
        var back = ResultDocument.ToResult(JsonSerializer.Deserialize(ResultDocument.ToLine(result, false), Outputs.Json.GroundedJsonContext.Default.ResultJson)!);

        Assert.False(objects[0].TryGetProperty("reference_box", out _));
        Assert.Equal("[0,20,100,50]", objects[1].GetProperty("box").GetRawText());
        Assert.Equal("[-5.5,20,120.25,70]", objects[1].GetProperty("reference_box").GetRawText());
        Assert.Equal(outside.Box, back.Objects[1].Box);
        var gsa = GroundedSamMaskJson.Build(result.Objects, 100, 50);
        Assert.Equal([0, 20, 100, 50], gsa[2].Box!);
    }
}
