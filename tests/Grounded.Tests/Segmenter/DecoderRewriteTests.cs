using Grounded.Geometry;
using Grounded.Onnx;
using Grounded.Onnx.Graphs;
using Grounded.Segmenter;
using Grounded.Segmenter.Layouts;
using Grounded.Tensors;
using Grounded.Tests.Support;

namespace Grounded.Tests.Segmenter;

/// <summary>
/// The official decoder specialised in memory for low-resolution work (upscaling cut off, prompt axis batchable)
/// gives the original graph's scores and masks, alone and in batches, and is refused where it would not.
/// </summary>
public sealed class DecoderRewriteTests(OfficialSamParityTests.Model official) : IClassFixture<OfficialSamParityTests.Model>
{
    private static readonly string[] LowResolution = ["iou_predictions", "low_res_masks"];

    private static string DecoderPath => Fixtures.Path("sam-official", "decoder.onnx");

    [Fact]
    public void The_fixture_decoder_is_served_rewritten_and_batched()
    {
        var backend = (OfficialSamBackend)official.Segmenter.Backend;

        Assert.Equal("rewritten, batched", backend.LowResolutionDecoderKind);
    }

    [Fact]
    public void The_rewrite_drops_the_upscaling_and_its_input()
    {
        using var rewritten = OnnxModel.Open(Specialised(), DecoderPath);

        Assert.Equal(LowResolution, rewritten.Outputs.Keys.Order());
        Assert.False(rewritten.HasInput("orig_im_size"));
        Assert.Equal(-1, rewritten.InputDimensions("point_coords")[0]);
        Assert.True(Specialised().Length < File.ReadAllBytes(DecoderPath).Length);
    }

    public static TheoryData<string> Cases => OfficialSamParityTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rewritten_decoder_gives_the_original_scores_and_masks(string caseId)
    {
        var c = Fixtures.Json("sam-official", "cases", caseId, "case.json");
        var embedding = await official.Segmenter.EncodeAsync(Fixtures.Image(HuggingFaceSamParityTests.ImageName(c)));
        var prompt = OfficialSamParityTests.Prompt(c);
        using var original = OnnxModel.Open(DecoderPath);
        using var rewritten = OnnxModel.Open(Specialised(), DecoderPath);
        var (coords, labels) = OfficialSamBackend.BuildPoints(embedding, prompt);

        var expected = original.Run(Feeds(embedding, coords, labels, original), null, LowResolution);
        var actual = rewritten.Run(Feeds(embedding, coords, labels, rewritten), null, LowResolution);

        Assert.Equal(expected["low_res_masks"].Shape, actual["low_res_masks"].Shape);
        HuggingFaceSamParityTests.AssertClose(expected["iou_predictions"].Data, actual["iou_predictions"].Data, 1e-6f);
        HuggingFaceSamParityTests.AssertClose(expected["low_res_masks"].Data, actual["low_res_masks"].Data, 1e-5f);
        Assert.Equal(Positive(expected["low_res_masks"].Data), Positive(actual["low_res_masks"].Data));
    }

    [Fact]
    public async Task A_batch_of_grid_points_equals_one_original_call_per_point()
    {
        var embedding = await official.Segmenter.EncodeAsync(Fixtures.Image("cat"));
        using var original = OnnxModel.Open(DecoderPath);
        using var rewritten = OnnxModel.Open(Specialised(), DecoderPath);
        const int Side = 4, Batch = Side * Side;
        var coords = new float[Batch * 4];
        var labels = new float[Batch * 2];
        for (int i = 0; i < Batch; i++)
        {
            var (one, _) = OfficialSamBackend.BuildPoints(embedding, SamPrompt.FromPoints(new PromptPoint((i % Side + 0.5f) * 450 / Side, (i / Side + 0.5f) * 300 / Side)));
            one.Data.CopyTo(coords, i * 4);
            labels[i * 2] = 1;
            labels[i * 2 + 1] = -1;
        }

        var batch = rewritten.Run(Feeds(embedding, new(coords, [Batch, 2, 2]), new(labels, [Batch, 2]), rewritten), null, LowResolution);

        int iouSize = 4, logitSize = 4 * 256 * 256;
        Assert.Equal([Batch, 4, 256, 256], batch["low_res_masks"].Shape);
        for (int i = 0; i < Batch; i++)
        {
            var single = original.Run(Feeds(embedding, new(coords[(i * 4)..((i + 1) * 4)], [1, 2, 2]), new(labels[(i * 2)..((i + 1) * 2)], [1, 2]), original), null, LowResolution);
            HuggingFaceSamParityTests.AssertClose(single["iou_predictions"].Data, batch["iou_predictions"].Data.AsSpan(i * iouSize, iouSize).ToArray(), 1e-5f);
            var logits = batch["low_res_masks"].Data.AsSpan(i * logitSize, logitSize).ToArray();
            HuggingFaceSamParityTests.AssertClose(single["low_res_masks"].Data, logits, 1e-4f);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Masks_made_from_the_low_resolution_logits_agree_with_the_exports_and_sam_predictors_to_a_pixel(string caseId)
    {
        var c = Fixtures.Json("sam-official", "cases", caseId, "case.json");
        var image = Fixtures.Image(HuggingFaceSamParityTests.ImageName(c));
        var embedding = await official.Segmenter.EncodeAsync(image);
        var prompt = OfficialSamParityTests.Prompt(c);
        var backend = (OfficialSamBackend)official.Segmenter.Backend;

        var result = await official.Segmenter.SegmentAsync(embedding, new SegmentationRequest { Prompts = [prompt], Options = new SegmentOptions { Multimask = true } });
        var export = backend.DecodeRaw(embedding, prompt, default)["masks"];

        int plane = image.Width * image.Height;
        string[] masks = [.. c.GetProperty("multimask").GetProperty("masks").EnumerateArray().Select(e => e.GetString()!)];
        for (int k = 0; k < 3; k++)
        {
            var own = Grounded.Masks.BinaryMask.FromThreshold(export.Data.AsSpan((k + 1) * plane, plane), image.Width, image.Height, 0f);
            var reference = Fixtures.MaskPng("sam-official", masks[k]);
            // Both resamplings of the same logits differ from SamPredictor's masks by a pixel at most on these cases
            // (ONNX Runtime's Resize and PyTorch's kernel round differently where a logit is ~0); none by more.
            Assert.True(result.Objects[0].Candidates[k].Mask.IoU(own) >= 0.9999, $"mask {k} against the export's");
            Assert.True(result.Objects[0].Candidates[k].Mask.IoU(reference) >= 0.9999, $"mask {k} against SamPredictor's");
        }
    }

    [Fact]
    public async Task The_first_image_is_served_by_the_loaded_graph_and_a_second_image_makes_the_batched_one()
    {
        using var segmenter = SamSegmenter.Create(Fixtures.Path("sam-official"), new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        var backend = (OfficialSamBackend)segmenter.Backend;
        var boxes = Enumerable.Range(0, 19).Select(i => SamPrompt.FromBox(new BoxXyxy(5 + (i * 20), 10 + (i * 5), 120 + (i * 15), 150 + (i * 7)))).ToList();
        var request = new SegmentationRequest { Prompts = boxes };

        var first = await segmenter.SegmentAsync(await segmenter.EncodeAsync(Fixtures.Image("cat")), request);
        Assert.False(backend.LowResolutionDecoderMade);

        await segmenter.EncodeAsync(Fixtures.Image("synthetic"));
        await backend.MakingLowResolutionDecoder;
        Assert.Equal("rewritten, batched", backend.LowResolutionDecoderKind);
        var again = await segmenter.SegmentAsync(await segmenter.EncodeAsync(Fixtures.Image("cat")), request);

        Assert.Equal(19, again.Objects.Count);
        for (int i = 0; i < boxes.Count; i++)
        {
            Assert.Equal(1.0, first.Objects[i].Best.Mask.IoU(again.Objects[i].Best.Mask));
            Assert.Equal(first.Objects[i].Best.PredictedIou, again.Objects[i].Best.PredictedIou, 1e-6f);
        }
    }

    [Fact]
    public async Task Disposing_while_the_batched_graph_is_being_made_waits_for_it()
    {
        var segmenter = SamSegmenter.Create(Fixtures.Path("sam-official"), new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        var backend = (OfficialSamBackend)segmenter.Backend;
        await segmenter.EncodeAsync(Fixtures.Image("cat"));
        await segmenter.EncodeAsync(Fixtures.Image("synthetic"));

        segmenter.Dispose();

        Assert.True(backend.MakingLowResolutionDecoder.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData("sam-official")]
    [InlineData("sam")]
    public async Task A_minimum_iou_reports_exactly_the_candidates_above_it_with_the_same_masks(string model)
    {
        using var segmenter = SamSegmenter.Create(Fixtures.Path(model), new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        var embedding = await segmenter.EncodeAsync(Fixtures.Image("cat"));
        (float X, float Y)[] points = [.. Enumerable.Range(0, 20).Select(i => (i * 22.5f + 5, i * 14f + 5))];

        var all = await Collect(segmenter, embedding, points, null);
        float minimum = all.Values.Select(v => v.Iou).Order().ElementAt(all.Count / 2);
        var kept = await Collect(segmenter, embedding, points, minimum);

        Assert.Equal(60, all.Count);
        Assert.Equal(all.Where(kv => kv.Value.Iou > minimum).Select(kv => kv.Key).Order(), kept.Keys.Order());
        Assert.All(kept, kv => Assert.Equal(all[kv.Key], kv.Value));
    }

    private static async Task<Dictionary<(int, int), (float Iou, string Logits)>> Collect(SamSegmenter segmenter, ImageEmbedding embedding, (float X, float Y)[] points, float? minimum)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<(int, int), (float, string)>();
        await segmenter.DecodePointsAsync(embedding, points, minimum, (p, c, iou, logits) => Assert.True(found.TryAdd((p, c), (iou, Fixtures.Sha256(logits)))));
        return new(found);
    }

    [Fact]
    public void A_graph_with_its_batch_baked_into_a_constant_is_served_one_prompt_a_call()
    {
        var folder = Directory.CreateTempSubdirectory("grounded-baked-");
        try
        {
            string path = Path.Combine(folder.FullName, "decoder.onnx");
            File.WriteAllBytes(path, BakedBatchDecoder());
            using var original = OnnxModel.Open(path);

            using var decoder = OfficialLowResolutionDecoder.Create(original, RuntimeOptions.Default with { Device = ExecutionDevice.Cpu });

            Assert.Equal("rewritten", decoder.Kind);
            Assert.Equal(1, decoder.MaxBatch);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_decoder_file_that_no_longer_parses_leaves_the_original_graph_serving()
    {
        var folder = Directory.CreateTempSubdirectory("grounded-changed-");
        try
        {
            string path = Path.Combine(folder.FullName, "decoder.onnx");
            File.Copy(DecoderPath, path);
            using var original = OnnxModel.Open(path);
            File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF]); // replaced after loading: the rewrite reads this

            using var decoder = OfficialLowResolutionDecoder.Create(original, RuntimeOptions.Default with { Device = ExecutionDevice.Cpu });
            var (iou, logits) = decoder.Run(new Dictionary<string, TensorData<float>>
            {
                ["image_embeddings"] = new(new float[32 * 64 * 64], [1, 32, 64, 64]),
                ["point_coords"] = new([10f, 20f, 0f, 0f], [1, 2, 2]),
                ["point_labels"] = new([1f, -1f], [1, 2]),
                ["mask_input"] = new(new float[256 * 256], [1, 1, 256, 256]),
                ["has_mask_input"] = new([0f], [1]),
                ["orig_im_size"] = new([1080f, 1920f], [2]),
            }, o => (o.Copy("iou_predictions"), o.Copy("low_res_masks")), default);

            Assert.Equal("original", decoder.Kind);
            Assert.Equal(1, decoder.MaxBatch);
            Assert.Equal([1, 4], iou.Shape);
            Assert.Equal([1, 4, 256, 256], logits.Shape);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Bytes_that_are_not_a_model_or_an_output_it_lacks_are_refused()
    {
        Assert.Throws<FormatException>(() => OnnxGraphRewriter.Specialise(new byte[] { 0xFF, 0xFF, 0xFF }, LowResolution));
        Assert.Throws<FormatException>(() => OnnxGraphRewriter.Specialise(File.ReadAllBytes(DecoderPath), ["no_such_output"]));
    }

    [Fact]
    public void Pruning_keeps_only_what_the_kept_outputs_need()
    {
        var g = new OnnxGraphBuilder()
            .Input("x", OnnxGraphBuilder.Float, 2)
            .Input("y", OnnxGraphBuilder.Float, 2)
            .Input("z", OnnxGraphBuilder.Float, 2)
            .Output("a", OnnxGraphBuilder.Float, 2)
            .Output("b", OnnxGraphBuilder.Float, 2);
        g.Node("Add", ["x", "y"], "a");
        g.Node("Mul", ["z", g.Constant([3f, 4f], 2)], "b");

        using var pruned = OnnxModel.Open(OnnxGraphRewriter.Specialise(g.Build(), ["a"]), "pruned.onnx");

        Assert.Equal(["x", "y"], pruned.Inputs.Keys.Order());
        Assert.Equal(["a"], pruned.Outputs.Keys);
        var result = pruned.Run(new Dictionary<string, TensorData<float>> { ["x"] = new([1f, 2f], [2]), ["y"] = new([10f, 20f], [2]) });
        Assert.Equal([11f, 22f], result["a"].Data);
    }

    [Fact]
    public void Segment_everything_decodes_masks_only_for_prompts_above_the_minimum()
    {
        // The cut is what the minimum-IoU test above then exercises: half the candidates pass, so the second part
        // runs on a subset of each batch and its masks must still be the whole graph's, bit for bit.
        var backend = (OfficialSamBackend)official.Segmenter.Backend;

        Assert.True(backend.LowResolutionDecodesIouFirst);
    }

    [Fact]
    public void A_cut_graph_passes_what_the_rest_reads_and_only_the_shape_of_what_it_reads_for_its_shape()
    {
        // keep = sum(relu(x)); rest = reshape(relu(x) * 2, shape(x)) + c, with c a constant both parts read.
        var g = new OnnxGraphBuilder()
            .Input("x", OnnxGraphBuilder.Float, null, 3)
            .Output("keep", OnnxGraphBuilder.Float, (long?)null)
            .Output("rest", OnnxGraphBuilder.Float, null, 3);
        string c = g.Node("Constant", [], "c", ("value_float", 1.5f));
        string relu = g.Node("Relu", ["x"], "relu");
        string shifted = g.Node("Add", [relu, c], "shifted");
        g.Node("ReduceSum", [shifted, g.Constant([1L], 1)], "keep", ("keepdims", 0L));
        string doubled = g.Node("Mul", [relu, g.Constant([2f], 1)], "doubled");
        string reshaped = g.Node("Reshape", [doubled, g.Node("Shape", ["x"], "shape")], "reshaped");
        g.Node("Add", [reshaped, c], "rest");
        byte[] model = g.Build();

        var points = OnnxGraphRewriter.SplitPoints(model, "keep", "rest");
        using var first = OnnxModel.Open(OnnxGraphRewriter.FirstPart(model, "keep", "rest"), "first.onnx");
        var types = points.ToDictionary(p => p, p => ((int)first.Outputs[p].ElementDataType, first.Outputs[p].Dimensions.Length));
        using var second = OnnxModel.Open(OnnxGraphRewriter.SecondPart(model, "keep", "rest", types), "second.onnx");

        Assert.Equal(["relu", "shape"], points.Order());
        Assert.Equal(["keep", "relu", "shape"], first.Outputs.Keys.Order());
        Assert.Equal(["relu", "shape"], second.Inputs.Keys.Order());
        float[] x = [-1f, 2f, 3f, 4f, -5f, 6f];
        var firstOut = first.Run(new Dictionary<string, TensorData<float>> { ["x"] = new(x, [2, 3]) });
        Assert.Equal([9.5f, 14.5f], firstOut["keep"].Data);
        var restOut = second.Run(
            new Dictionary<string, TensorData<float>> { ["relu"] = firstOut["relu"] },
            new Dictionary<string, TensorData<long>> { ["shape"] = new([2L, 3L], [2]) });
        Assert.Equal([1.5f, 5.5f, 7.5f, 9.5f, 1.5f, 13.5f], restOut["rest"].Data);
        Assert.Throws<FormatException>(() => OnnxGraphRewriter.SplitPoints(model, "keep", "no_such_output"));
        Assert.Throws<FormatException>(() => OnnxGraphRewriter.SecondPart(model, "keep", "rest", new Dictionary<string, (int, int)>()));
    }

    private static byte[] Specialised() => OnnxGraphRewriter.Specialise(File.ReadAllBytes(DecoderPath), LowResolution, new Dictionary<string, int[]>
    {
        ["point_coords"] = [0],
        ["point_labels"] = [0],
    });

    private static Dictionary<string, TensorData<float>> Feeds(ImageEmbedding embedding, TensorData<float> coords, TensorData<float> labels, OnnxModel model)
    {
        var feeds = new Dictionary<string, TensorData<float>>
        {
            ["image_embeddings"] = embedding.Embeddings,
            ["point_coords"] = coords,
            ["point_labels"] = labels,
            ["mask_input"] = new(new float[256 * 256], [1, 1, 256, 256]),
            ["has_mask_input"] = new([0f], [1]),
            ["orig_im_size"] = new([embedding.OriginalHeight, embedding.OriginalWidth], [2]),
        };
        return model.DeclaredOf(feeds);
    }

    private static bool[] Positive(float[] logits) => [.. logits.Select(v => v > 0)];

    /// <summary>The official contract, where every output is reshaped to a batch of one by a constant shape.</summary>
    private static byte[] BakedBatchDecoder()
    {
        var g = new OnnxGraphBuilder()
            .Input("image_embeddings", OnnxGraphBuilder.Float, 1, 4, 64, 64)
            .Input("point_coords", OnnxGraphBuilder.Float, 1, null, 2)
            .Input("point_labels", OnnxGraphBuilder.Float, 1, null)
            .Input("mask_input", OnnxGraphBuilder.Float, 1, 1, 256, 256)
            .Input("has_mask_input", OnnxGraphBuilder.Float, 1)
            .Input("orig_im_size", OnnxGraphBuilder.Float, 2)
            .Output("masks", OnnxGraphBuilder.Float, 1, 4, null, null)
            .Output("iou_predictions", OnnxGraphBuilder.Float, 1, 4)
            .Output("low_res_masks", OnnxGraphBuilder.Float, 1, 4, 256, 256);
        string mean = g.Node("ReduceMean", ["point_coords"], null, ("axes", new long[] { 1, 2 }), ("keepdims", 1L));
        string one = g.Node("Reshape", [mean, g.Constant([1L, 1, 1, 1], 4)]);
        g.Node("Expand", [one, g.Constant([1L, 4, 256, 256], 4)], "low_res_masks");
        g.Node("Expand", [g.Node("Reshape", [mean, g.Constant([1L, 1], 2)]), g.Constant([1L, 4], 2)], "iou_predictions");
        string size = g.Node("Cast", ["orig_im_size"], null, ("to", 7L));
        string shape = g.Node("Concat", [g.Constant([1L, 4], 2), size], null, ("axis", 0L));
        g.Node("Expand", [one, shape], "masks");
        return g.Build();
    }
}

