using Grounded.Onnx;
using Grounded.Onnx.Graphs;
using Grounded.Segmenter;
using Grounded.Segmenter.Layouts;
using Grounded.Tensors;
using Grounded.Tests.Support;

namespace Grounded.Tests.Segmenter;

/// <summary>
/// The decoder's per-prompt repeat of the image tensors, found and rewired so a batch shares them: the rewired graph
/// computes what the original does, and graphs without the pattern are left alone.
/// </summary>
public sealed class SharedImageTensorsTests
{
    [Fact]
    public void A_repeat_then_add_then_flatten_is_rewired_to_the_unrepeated_tensor_with_the_same_outputs()
    {
        var (model, add, otherShape, repeated) = RepeatGraph(flattenFromOwnShape: true);
        var nodes = OnnxGraphRewriter.Nodes(model);

        var rewires = SharedImageTensors.Rewires(nodes);

        Assert.Equal([new InputRewire(add, 0, "image"), new InputRewire(otherShape, 0, repeated)], rewires);
        using var original = OnnxModel.Open(model, "repeat.onnx");
        using var rewired = OnnxModel.Open(OnnxGraphRewriter.Specialise(model, ["z", "n"], null, rewires), "rewired.onnx");
        var feeds = new Dictionary<string, TensorData<float>>
        {
            ["image"] = new([1f, 2f, 3f, 4f], [1, 4]),
            ["dense"] = new([0.5f, -1f, 2f, 0f], [1, 4]),
            ["prompts"] = new([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]),
        };
        var expected = original.Run(feeds, null, ["z"]);
        var actual = rewired.Run(feeds, null, ["z"]);
        Assert.Equal([3, 2], actual["z"].Shape);
        Assert.Equal(expected["z"].Data, actual["z"].Data);
    }

    [Fact]
    public void A_flatten_whose_shape_comes_from_another_tensor_is_left_alone()
    {
        var (model, _, _, _) = RepeatGraph(flattenFromOwnShape: false);

        Assert.Empty(SharedImageTensors.Rewires(OnnxGraphRewriter.Nodes(model)));
    }

    [Fact]
    public void The_fixture_decoder_shares_its_image_tokens_once_they_agree_with_the_original()
    {
        using var segmenter = SamSegmenter.Create(Fixtures.Path("sam-official"), new SegmenterOptions { Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu } });
        var backend = (OfficialSamBackend)segmenter.Backend;

        Assert.True(backend.LowResolutionSharesImageTokens);
        Assert.Equal("rewritten, batched", backend.LowResolutionDecoderKind);
    }

    [Fact]
    public void A_rewire_naming_a_node_or_input_the_graph_lacks_is_refused()
    {
        var (model, add, _, _) = RepeatGraph(flattenFromOwnShape: true);

        Assert.Throws<FormatException>(() => OnnxGraphRewriter.Specialise(model, ["z"], null, [new InputRewire(10_000, 0, "image")]));
        Assert.Throws<FormatException>(() => OnnxGraphRewriter.Specialise(model, ["z"], null, [new InputRewire(add, 5, "image")]));
    }

    /// <summary>
    /// image [1,4] repeated once per prompt (Unsqueeze → Expand → Reshape, as torch exports repeat_interleave), plus
    /// dense [1,4], flattened by a Reshape whose shape is read from the sum (or from the prompts), projected, added to
    /// the prompts' projection: z [B,2]; n is the sum's shape, read by a second Shape node.
    /// </summary>
    private static (byte[] Model, int Add, int OtherShape, string Repeated) RepeatGraph(bool flattenFromOwnShape)
    {
        var g = new OnnxGraphBuilder()
            .Input("image", OnnxGraphBuilder.Float, 1, 4)
            .Input("dense", OnnxGraphBuilder.Float, 1, 4)
            .Input("prompts", OnnxGraphBuilder.Float, null, 2)
            .Output("z", OnnxGraphBuilder.Float, null, 2)
            .Output("n", OnnxGraphBuilder.Int64Type, 2);
        var nodes = new List<string>();
        string Node(string op, string[] inputs, string? output = null, params (string, object)[] attributes)
        {
            nodes.Add(op);
            return g.Node(op, inputs, output, attributes);
        }

        string batch = Node("Gather", [Node("Shape", ["prompts"]), g.Constant([0L], 1)]);
        string expandShape = Node("Concat", [g.Constant([1L], 1), batch, g.Constant([4L], 1)], null, ("axis", 0L));
        string unsqueezed = Node("Unsqueeze", ["image", g.Constant([1L], 1)]);
        string repeated = Node("Reshape", [Node("Expand", [unsqueezed, expandShape]), g.Constant([-1L, 4L], 2)]);
        string sum = Node("Add", [repeated, "dense"]);
        int add = nodes.Count - 1;
        string shapeSource = flattenFromOwnShape ? sum : "prompts";
        string flatShape = Node("Concat", [Node("Slice", [Node("Shape", [shapeSource]), g.Constant([0L], 1), g.Constant([1L], 1)]), g.Constant([-1L], 1)], null, ("axis", 0L));
        string flat = Node("Reshape", [sum, flatShape]);
        string image = Node("MatMul", [flat, g.Constant([1f, 0f, 0f, 1f, 1f, 1f, 2f, -1f], 4, 2)]);
        Node("Add", [image, Node("MatMul", ["prompts", g.Constant([1f, 2f, 3f, 4f], 2, 2)])], "z");
        Node("Shape", [sum], "n");
        return (g.Build(), add, nodes.Count - 1, repeated);
    }
}
