namespace Grounded.Onnx.Graphs;

/// <summary>
/// Cutting a model in two where one output needs much less than another: the first part computes
/// <c>keep</c> and the tensors the rest needs from it; the second part computes <c>rest</c> from those tensors alone,
/// so a caller who decides from <c>keep</c> that it needs <c>rest</c> for only some of a batch runs the second part
/// on those. Constants are copied into the second part rather than passed.
/// </summary>
public static partial class OnnxGraphRewriter
{
    /// <summary>
    /// The tensors the second part reads from the first (or from the model's inputs), in the order the second part's
    /// nodes first read them.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model, or an output is not in its graph.</exception>
    public static IReadOnlyList<string> SplitPoints(ReadOnlyMemory<byte> model, string keep, string rest) => Cut(model, keep, rest).Frontier;

    /// <summary>The model with outputs <paramref name="keep"/> and the split points (those not among its inputs), and only what they need.</summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model, or an output is not in its graph.</exception>
    public static byte[] FirstPart(ReadOnlyMemory<byte> model, string keep, string rest)
    {
        var cut = Cut(model, keep, rest);
        string[] outputs = [keep, .. cut.Frontier.Where(t => !cut.GraphInputs.Contains(t))];
        return WithGraph(model, cut.ModelFields, RewriteGraph(cut.Graph, outputs, new Dictionary<string, int[]>(), [], addOutputs: true));
    }

    /// <summary>
    /// The model that computes <paramref name="rest"/> from the split points: those that are the model's inputs keep
    /// their declarations, the others are declared with <paramref name="types"/> (ONNX element type and rank, every
    /// axis symbolic; a rank below 0 leaves the shape undeclared).
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model, an output is not in its graph, or a split point has no type.</exception>
    public static byte[] SecondPart(ReadOnlyMemory<byte> model, string keep, string rest, IReadOnlyDictionary<string, (int ElementType, int Rank)> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var cut = Cut(model, keep, rest);
        var needed = new HashSet<string>(StringComparer.Ordinal) { rest };
        foreach (int i in cut.Second)
        {
            needed.UnionWith(cut.Nodes[i].Inputs);
        }

        var frontier = cut.Frontier.ToHashSet(StringComparer.Ordinal);
        using var graph = new MemoryStream();
        int node = -1;
        foreach (var field in cut.Graph)
        {
            bool keepField = field.Number switch
            {
                GraphNode => cut.Second.Contains(++node),
                GraphInitializer => needed.Contains(TensorNameOf(field.Payload)),
                GraphInput => frontier.Contains(NameOf(field.Payload)),
                GraphValueInfo => needed.Contains(NameOf(field.Payload)) && !frontier.Contains(NameOf(field.Payload)),
                GraphOutput => NameOf(field.Payload) == rest,
                _ => true,
            };
            if (keepField)
            {
                graph.Write(field.Encoded.Span);
            }
        }

        foreach (string point in cut.Frontier.Where(t => !cut.GraphInputs.Contains(t)))
        {
            if (!types.TryGetValue(point, out var type))
            {
                throw new FormatException($"No type was given for the split point '{point}'.");
            }

            ProtoWire.WriteBytes(graph, GraphInput, TypedValueInfo(point, type.ElementType, type.Rank));
        }

        return WithGraph(model, cut.ModelFields, graph.ToArray());
    }

    /// <summary>The parsed model and graph, their nodes' names, the second part's nodes and the split points.</summary>
    private sealed record GraphCut(
        List<ProtoWire.Field> ModelFields,
        List<ProtoWire.Field> Graph,
        List<(List<string> Inputs, List<string> Outputs, string OpType)> Nodes,
        HashSet<int> Second,
        List<string> Frontier,
        HashSet<string> GraphInputs);

    private static GraphCut Cut(ReadOnlyMemory<byte> model, string keep, string rest)
    {
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(rest);
        var (modelFields, graphField) = ReadModel(model);
        var graph = ProtoWire.Read(graphField.Payload);
        var declared = graph.Where(f => f.Number == GraphOutput).Select(f => NameOf(f.Payload)).ToHashSet(StringComparer.Ordinal);
        foreach (string output in new[] { keep, rest }.Where(o => !declared.Contains(o)))
        {
            throw new FormatException($"The graph has no output '{output}'.");
        }

        var nodes = graph.Where(f => f.Number == GraphNode).Select(f =>
        {
            var n = ReadNode(f.Payload);
            return (Inputs: (List<string>)[.. n.Inputs.Where(i => i.Length > 0), .. n.CapturedInputs], n.Outputs, n.OpType);
        }).ToList();
        var initializers = graph.Where(f => f.Number == GraphInitializer).Select(f => TensorNameOf(f.Payload)).ToHashSet(StringComparer.Ordinal);
        var graphInputs = graph.Where(f => f.Number == GraphInput).Select(f => NameOf(f.Payload)).ToHashSet(StringComparer.Ordinal);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            foreach (string output in nodes[i].Outputs)
            {
                producer[output] = i;
            }
        }

        List<(List<string> Inputs, List<string> Outputs)> names = [.. nodes.Select(n => (n.Inputs, n.Outputs))];
        var second = Needs(names, [rest]).Nodes;
        second.ExceptWith(Needs(names, [keep]).Nodes);

        // A constant both parts read is made again in the second rather than passed.
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (int i in second.ToList())
            {
                foreach (string input in nodes[i].Inputs)
                {
                    if (producer.TryGetValue(input, out int p) && !second.Contains(p) && nodes[p].OpType == "Constant")
                    {
                        grew |= second.Add(p);
                    }
                }
            }
        }

        // A tensor the second part reads only for its shape is passed as that shape (the Shape nodes move to the
        // first part), so a batch's large tensors cross only where their values are used.
        var frontier = Frontier(nodes, second, producer, initializers);
        foreach (string point in frontier)
        {
            var readers = second.Where(i => nodes[i].Inputs.Contains(point)).ToList();
            if (readers.All(i => nodes[i].OpType == "Shape"))
            {
                second.ExceptWith(readers);
            }
        }

        return new GraphCut(modelFields, graph, nodes, second, Frontier(nodes, second, producer, initializers), graphInputs);
    }

    private static List<string> Frontier(List<(List<string> Inputs, List<string> Outputs, string OpType)> nodes, HashSet<int> second, Dictionary<string, int> producer, HashSet<string> initializers)
    {
        var frontier = new List<string>();
        foreach (int i in second.Order())
        {
            foreach (string input in nodes[i].Inputs)
            {
                bool made = producer.TryGetValue(input, out int p) && second.Contains(p);
                if (!made && !initializers.Contains(input) && !frontier.Contains(input))
                {
                    frontier.Add(input);
                }
            }
        }

        return frontier;
    }

    /// <summary>A graph input's declaration: a tensor of one element type and, from rank 0 on, that many symbolic axes.</summary>
    private static byte[] TypedValueInfo(string name, int elementType, int rank)
    {
        using var tensor = new MemoryStream();
        ProtoWire.WriteVarintField(tensor, TensorElementType, (ulong)elementType);
        if (rank >= 0)
        {
            using var shape = new MemoryStream();
            for (int axis = 0; axis < rank; axis++)
            {
                using var dim = new MemoryStream();
                ProtoWire.WriteString(dim, DimParam, $"{name}_{axis}");
                ProtoWire.WriteBytes(shape, ShapeDim, dim.ToArray());
            }

            ProtoWire.WriteBytes(tensor, TensorShape, shape.ToArray());
        }

        using var type = new MemoryStream();
        ProtoWire.WriteBytes(type, TypeTensor, tensor.ToArray());
        using var valueInfo = new MemoryStream();
        ProtoWire.WriteString(valueInfo, ValueInfoName, name);
        ProtoWire.WriteBytes(valueInfo, ValueInfoType, type.ToArray());
        return valueInfo.ToArray();
    }
}
