using System.Text.Json;
using Grounded.Masks;
using Grounded.Onnx;
using Grounded.Segmenter;
using Grounded.Pipeline.Everything;
using Grounded.Tests.Support;

namespace Grounded.Tests.Segmenter;

/// <summary>Segment everything: parity with segment-anything's SamAutomaticMaskGenerator (sam-official/amg) and invariants.</summary>
public sealed class AutomaticMaskGeneratorTests(OfficialSamParityTests.Model official) : IClassFixture<OfficialSamParityTests.Model>
{
    public static TheoryData<string, string> Runs => new()
    {
        { "cat", "nms" }, { "cat", "no_nms" }, { "synthetic", "nms" }, { "synthetic", "no_nms" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Generate_equals_the_reference_mask_for_mask(string image, string run)
    {
        var reference = Fixtures.Json("sam-official", "amg", image + ".json").GetProperty("runs").GetProperty(run);
        var generator = new AutomaticMaskGenerator(official.Segmenter, OptionsFrom(reference.GetProperty("params")));

        var masks = await generator.GenerateAsync(Fixtures.Image(image));

        var expected = reference.GetProperty("masks").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, masks.Count); // count equal
        for (int i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var m = masks[i];
            Assert.True(m.Segmentation.IoU(DecodeUncompressed(e.GetProperty("segmentation"))) >= 0.99, $"mask {i}"); // IoU >= 0.99
            Assert.Equal(e.GetProperty("predicted_iou").GetSingle(), m.PredictedIou, 1e-4f); // abs 1e-4
            Assert.Equal(e.GetProperty("stability_score").GetSingle(), m.StabilityScore, 1e-3f); // abs 1e-3
            float[] bbox = Fixtures.FloatArray(e.GetProperty("bbox_xywh"));
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(bbox[k], m.BboxXywh[k], 1f); // 1 px
            }

            Assert.Equal(e.GetProperty("area").GetInt64(), m.Area, 0.01 * m.Area + 1);
            var point = e.GetProperty("point_coords")[0];
            Assert.Equal((point[0].GetDouble(), point[1].GetDouble()), m.PointCoords);
            Assert.Equal(e.GetProperty("crop_box_xywh").EnumerateArray().Select(v => (int)v.GetDouble()), m.CropBoxXywh);
        }
    }

    [Fact]
    public async Task The_hugging_face_layout_respects_masks_thresholds_and_nms()
    {
        using var segmenter = SamSegmenter.Create(Fixtures.Path("sam"), new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        var options = new EverythingOptions { PointsPerSide = 6, PointsPerBatch = 16, PredIouThresh = 0f, StabilityScoreThresh = 0f, BoxNmsThresh = 0.9f };
        var image = Fixtures.Image("synthetic");

        var masks = await new AutomaticMaskGenerator(segmenter, options).GenerateAsync(image);

        Assert.NotEmpty(masks);
        Assert.All(masks, m =>
        {
            Assert.Equal((image.Width, image.Height), (m.Segmentation.Width, m.Segmentation.Height));
            Assert.InRange(m.BboxXywh[0] + m.BboxXywh[2], 0, image.Width - 1);
            Assert.InRange(m.BboxXywh[1] + m.BboxXywh[3], 0, image.Height - 1);
            Assert.InRange(m.PointCoords.X, 0, image.Width);
        });
        for (int i = 1; i < masks.Count; i++)
        {
            Assert.True(masks[i - 1].PredictedIou >= masks[i].PredictedIou); // NMS output order: by score
        }

        for (int i = 0; i < masks.Count; i++)
        {
            for (int j = i + 1; j < masks.Count; j++)
            {
                Assert.True(BoxIou(masks[i].BboxXywh, masks[j].BboxXywh) <= 0.9f); // NMS respected
            }
        }

        var strict = await new AutomaticMaskGenerator(segmenter, options with { PredIouThresh = masks.Select(m => m.PredictedIou).Order().ElementAt(masks.Count / 2) }).GenerateAsync(image);
        Assert.True(strict.Count < masks.Count);
        Assert.All(strict, m => Assert.True(m.PredictedIou > masks.Select(x => x.PredictedIou).Order().ElementAt(masks.Count / 2)));
    }

    [Fact]
    public void Crop_boxes_follow_the_reference_layout()
    {
        // generate_crop_boxes((300, 450), 1, 512/1500): overlap int(0.3413 * 300 * 1) = 102, crop 276 x 201.
        var boxes = AmgGeometry.CropBoxes(450, 300, 1, 512.0 / 1500);

        Assert.Equal(5, boxes.Count);
        Assert.Equal([0, 0, 450, 300], boxes[0].Box);
        Assert.Equal([0, 0, 276, 201], boxes[1].Box);
        Assert.Equal([0, 99, 276, 300], boxes[2].Box);
        Assert.Equal([174, 0, 450, 201], boxes[3].Box);
        Assert.Equal([174, 99, 450, 300], boxes[4].Box);
        Assert.All(boxes.Skip(1), b => Assert.Equal(1, b.Layer));
    }

    [Fact]
    public void Point_grids_are_cell_centres()
    {
        var grid = AmgGeometry.PointGrid(4);

        Assert.Equal(16, grid.Count);
        Assert.Equal((0.125, 0.125), grid[0]);
        Assert.Equal((0.375, 0.125), grid[1]);
        Assert.Equal((0.875, 0.875), grid[15]);
        Assert.Equal([8, 4], AmgGeometry.LayerGrids(8, 1, 2).Select(g => (int)Math.Sqrt(g.Count)));
    }

    [Fact]
    public async Task Crop_layers_run_every_crop_and_tag_masks_with_their_crop()
    {
        var options = new EverythingOptions { PointsPerSide = 4, PredIouThresh = 0f, StabilityScoreThresh = 0f, BoxNmsThresh = 1f, CropNLayers = 1, CropNmsThresh = 1f, CropNPointsDownscaleFactor = 2 };

        int encodesBefore = official.Segmenter.EncoderRuns;

        var masks = await new AutomaticMaskGenerator(official.Segmenter, options).GenerateAsync(Fixtures.Image("cat"));

        // One embedding per crop (the whole image may come from the cache); this random model's speckled masks touch
        // every inner crop edge, so the reference's edge filter leaves only whole-image masks here.
        Assert.True(official.Segmenter.EncoderRuns - encodesBefore >= 4);
        Assert.Contains(masks, m => string.Join(',', m.CropBoxXywh) == "0,0,450,300");
        Assert.All(masks.Where(m => m.CropBoxXywh[2] < 450), m =>
        {
            // Masks of a crop lie inside it.
            var b = m.Segmentation.BoundingBox()!.Value;
            Assert.True(b.X0 >= m.CropBoxXywh[0] && b.X1 <= m.CropBoxXywh[0] + m.CropBoxXywh[2]);
        });
    }

    [Theory]
    // Crop (174, 99)-(450, 300) of a 450x300 image; boxes relative to the crop.
    [InlineData(5, 50, 100, 150, true)]    // 5 px from the crop's left edge, which is inside the image
    [InlineData(30, 50, 100, 150, false)]  // clear of every edge
    [InlineData(30, 50, 270, 150, false)]  // 6 px from the crop's right edge, which is the image's edge
    [InlineData(30, 0, 100, 150, true)]    // on the crop's top edge, inside the image
    public void Boxes_near_an_inner_crop_edge_are_dropped(float x0, float y0, float x1, float y1, bool dropped) =>
        Assert.Equal(dropped, AutomaticMaskGenerator.IsNearCropEdge(new Geometry.BoxXyxy(x0, y0, x1, y1), [174, 99, 450, 300], 450, 300));

    [Fact]
    public void Small_holes_are_filled_and_small_islands_removed()
    {
        // A 20x20 square with a 2x2 hole, plus a separate 3-pixel island.
        var mask = new BinaryMask(40, 40);
        for (int y = 5; y < 25; y++)
        {
            for (int x = 5; x < 25; x++)
            {
                mask[x, y] = true;
            }
        }

        mask[10, 10] = mask[11, 10] = mask[10, 11] = mask[11, 11] = false;
        mask[35, 35] = mask[36, 35] = mask[35, 36] = true;

        var (filled, holesChanged) = MaskRegions.FillSmallHoles(mask, 10);
        var (clean, islandsChanged) = MaskRegions.RemoveSmallIslands(filled, 10);

        Assert.True(holesChanged);
        Assert.True(islandsChanged);
        Assert.True(clean[10, 10] && clean[11, 11]);
        Assert.False(clean[35, 35]);
        Assert.Equal(400, clean.Area());
        Assert.False(MaskRegions.FillSmallHoles(clean, 10).Changed);
        // When every island is small, the largest is kept.
        var (kept, _) = MaskRegions.RemoveSmallIslands(mask, 10_000);
        Assert.Equal(396, kept.Area());
    }

    private static EverythingOptions OptionsFrom(JsonElement p) => new()
    {
        PointsPerSide = p.GetProperty("points_per_side").GetInt32(),
        PointsPerBatch = p.GetProperty("points_per_batch").GetInt32(),
        PredIouThresh = p.GetProperty("pred_iou_thresh").GetSingle(),
        StabilityScoreThresh = p.GetProperty("stability_score_thresh").GetSingle(),
        StabilityScoreOffset = p.GetProperty("stability_score_offset").GetSingle(),
        BoxNmsThresh = p.GetProperty("box_nms_thresh").GetSingle(),
        CropNLayers = p.GetProperty("crop_n_layers").GetInt32(),
        CropNmsThresh = p.GetProperty("crop_nms_thresh").GetSingle(),
        MinMaskRegionArea = p.GetProperty("min_mask_region_area").GetInt32(),
    };

    /// <summary>Uncompressed COCO RLE (column-major counts, zeros first).</summary>
    internal static BinaryMask DecodeUncompressed(JsonElement rle) =>
        new CocoRle(rle.GetProperty("size")[0].GetInt32(), rle.GetProperty("size")[1].GetInt32(), [.. rle.GetProperty("counts").EnumerateArray().Select(c => c.GetUInt32())]).Decode();

    private static float BoxIou(float[] a, float[] b)
    {
        var ba = new Geometry.BoxXyxy(a[0], a[1], a[0] + a[2], a[1] + a[3]);
        return ba.IoU(new Geometry.BoxXyxy(b[0], b[1], b[0] + b[2], b[1] + b[3]));
    }
}
