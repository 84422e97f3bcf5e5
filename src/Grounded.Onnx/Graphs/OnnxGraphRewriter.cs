namespace Grounded.Onnx.Graphs;

/// <summary>
/// Specialises an ONNX model in memory: keeps only the outputs a caller reads, with the nodes, initializers and
/// inputs they depend on (ONNX Runtime computes every node of a graph, also those that feed only outputs nobody asked
/// for), and can turn fixed input axes into symbolic ones. Everything else is copied byte for byte. The result must be
/// verified against the original before it is trusted: a traced graph may still hold the old size in a constant.
/// </summary>
public static partial class OnnxGraphRewriter
{
    // ModelProto.graph; GraphProto's node, initializer, input, output, value_info; NodeProto's input, output, attribute;
    // AttributeProto's g and graphs; ValueInfoProto's name and type; TypeProto.tensor_type; Tensor.shape; shape.dim;
    // Dimension's dim_value and dim_param; TensorProto.name.
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeGraph = 6, AttributeGraphs = 11;
    private const int ValueInfoName = 1, ValueInfoType = 2, TypeTensor = 1, TensorElementType = 1, TensorShape = 2, ShapeDim = 1, DimParam = 2;
    private const int TensorName = 8;

    /// <summary>
    /// Returns <paramref name="model"/> with only <paramref name="outputs"/> and what they need. Inputs nothing needs
    /// any more are dropped, so a caller feeds only the inputs the new model declares. Each entry of
    /// <paramref name="symbolicAxes"/> names an input and the axes to make symbolic (named "&lt;input&gt;_&lt;axis&gt;").
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model, or an output is not in its graph.</exception>
    public static byte[] Specialise(ReadOnlyMemory<byte> model, IReadOnlyCollection<string> outputs, IReadOnlyDictionary<string, int[]>? symbolicAxes = null) =>
        Specialise(model, outputs, symbolicAxes, []);

    /// <summary>
    /// As the other overload, with node inputs pointed at other tensors first (<paramref name="rewires"/>, nodes
    /// numbered as <see cref="Nodes"/> lists them): what the rewired inputs no longer read is pruned with the rest.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model, an output is not in its graph, or a rewire names a node or input it lacks.</exception>
    public static byte[] Specialise(ReadOnlyMemory<byte> model, IReadOnlyCollection<string> outputs, IReadOnlyDictionary<string, int[]>? symbolicAxes, IReadOnlyList<InputRewire> rewires)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(rewires);
        var (modelFields, graphField) = ReadModel(model);
        return WithGraph(model, modelFields, RewriteGraph(ProtoWire.Read(graphField.Payload), outputs, symbolicAxes ?? new Dictionary<string, int[]>(), rewires, addOutputs: false));
    }

    /// <summary>The model with its graph field replaced, every other field as it was.</summary>
    private static byte[] WithGraph(ReadOnlyMemory<byte> model, List<ProtoWire.Field> modelFields, byte[] graph)
    {
        using var result = new MemoryStream(model.Length);
        foreach (var field in modelFields)
        {
            if (field.Number == ModelGraph)
            {
                ProtoWire.WriteBytes(result, ModelGraph, graph);
            }
            else
            {
                result.Write(field.Encoded.Span);
            }
        }

        return result.ToArray();
    }

    /// <summary>The main graph's nodes in order (a subgraph's nodes are not listed).</summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model.</exception>
    public static IReadOnlyList<OnnxNode> Nodes(ReadOnlyMemory<byte> model)
    {
        var (_, graphField) = ReadModel(model);
        var nodes = new List<OnnxNode>();
        foreach (var field in ProtoWire.Read(graphField.Payload).Where(f => f.Number == GraphNode))
        {
            var node = ReadNode(field.Payload);
            nodes.Add(new OnnxNode(nodes.Count, node.OpType, node.Name, node.Inputs, node.Outputs));
        }

        return nodes;
    }

    private static (List<ProtoWire.Field> Model, ProtoWire.Field Graph) ReadModel(ReadOnlyMemory<byte> model)
    {
        var modelFields = ProtoWire.Read(model);
        var graphField = modelFields.SingleOrDefault(f => f.Number == ModelGraph && f.WireType == 2);
        if (graphField.Number == 0)
        {
            throw new FormatException("The model has no graph.");
        }

        return (modelFields, graphField);
    }

    /// <summary>A node with some of its inputs renamed, every other field as it was.</summary>
    private static byte[] Rewired(ReadOnlyMemory<byte> node, IEnumerable<InputRewire> rewires)
    {
        var byInput = rewires.ToDictionary(r => r.Input, r => r.Tensor);
        using var result = new MemoryStream();
        int input = 0;
        foreach (var field in ProtoWire.Read(node))
        {
            if (field.Number == NodeInput && byInput.Remove(input++, out string? tensor))
            {
                ProtoWire.WriteString(result, NodeInput, tensor);
            }
            else
            {
                result.Write(field.Encoded.Span);
            }
        }

        if (byInput.Count > 0)
        {
            throw new FormatException($"A node has no input {byInput.Keys.First()}.");
        }

        return result.ToArray();
    }

    private static byte[] RewriteGraph(List<ProtoWire.Field> graph, IReadOnlyCollection<string> outputs, IReadOnlyDictionary<string, int[]> symbolicAxes, IReadOnlyList<InputRewire> rewires, bool addOutputs)
    {
        var declared = graph.Where(f => f.Number == GraphOutput).Select(f => NameOf(f.Payload)).ToHashSet(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            if (!declared.Contains(output) && !addOutputs)
            {
                throw new FormatException($"The graph has no output '{output}'.");
            }
        }

        var nodes = graph.Where(f => f.Number == GraphNode).Select(f => f.Payload).ToList();
        foreach (var group in rewires.GroupBy(r => r.Node))
        {
            if (group.Key < 0 || group.Key >= nodes.Count)
            {
                throw new FormatException($"The graph has no node {group.Key}.");
            }

            nodes[group.Key] = Rewired(nodes[group.Key], group);
        }

        var (keptNodes, needed) = Needs([.. nodes.Select(NodeNames)], outputs);

        using var result = new MemoryStream();
        int node = -1;
        foreach (var field in graph)
        {
            bool keep = field.Number switch
            {
                GraphNode => keptNodes.Contains(++node),
                GraphInitializer => needed.Contains(TensorNameOf(field.Payload)),
                GraphInput or GraphValueInfo => needed.Contains(NameOf(field.Payload)),
                GraphOutput => outputs.Contains(NameOf(field.Payload)),
                _ => true,
            };
            if (!keep)
            {
                continue;
            }

            if (field.Number == GraphNode)
            {
                ProtoWire.WriteBytes(result, GraphNode, nodes[node].Span);
            }
            else if (field.Number == GraphInput && symbolicAxes.TryGetValue(NameOf(field.Payload), out var axes))
            {
                ProtoWire.WriteBytes(result, GraphInput, WithSymbolicAxes(field.Payload, axes));
            }
            else
            {
                result.Write(field.Encoded.Span);
            }
        }

        // Intermediate tensors made outputs: named only, ONNX Runtime takes their types from the nodes that make them.
        foreach (string added in outputs.Where(o => !declared.Contains(o)))
        {
            using var valueInfo = new MemoryStream();
            ProtoWire.WriteString(valueInfo, ValueInfoName, added);
            ProtoWire.WriteBytes(result, GraphOutput, valueInfo.ToArray());
        }

        return result.ToArray();
    }

    /// <summary>
    /// The nodes <paramref name="outputs"/> need and the tensors those read (with the outputs). Nodes are topologically
    /// sorted, so one walk from the last node back finds them.
    /// </summary>
    private static (HashSet<int> Nodes, HashSet<string> Tensors) Needs(IReadOnlyList<(List<string> Inputs, List<string> Outputs)> nodes, IEnumerable<string> outputs)
    {
        var tensors = new HashSet<string>(outputs, StringComparer.Ordinal);
        var kept = new HashSet<int>();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (nodes[i].Outputs.Any(tensors.Contains))
            {
                kept.Add(i);
                tensors.UnionWith(nodes[i].Inputs.Where(n => n.Length > 0));
            }
        }

        return (kept, tensors);
    }

    /// <summary>A node's inputs (with those of any subgraph it runs, which may name this graph's values) and outputs.</summary>
    private static (List<string> Inputs, List<string> Outputs) NodeNames(ReadOnlyMemory<byte> node)
    {
        var fields = ReadNode(node);
        return ([.. fields.Inputs, .. fields.CapturedInputs], fields.Outputs);
    }

    /// <summary>A node's own inputs and outputs, its operator and name, and the inputs its subgraphs read.</summary>
    private static (List<string> Inputs, List<string> Outputs, string OpType, string Name, List<string> CapturedInputs) ReadNode(ReadOnlyMemory<byte> node)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var captured = new List<string>();
        string opType = string.Empty, name = string.Empty;
        foreach (var field in ProtoWire.Read(node))
        {
            switch (field.Number)
            {
                case NodeInput:
                    inputs.Add(field.Text);
                    break;
                case NodeOutput:
                    outputs.Add(field.Text);
                    break;
                case NodeName:
                    name = field.Text;
                    break;
                case NodeOpType:
                    opType = field.Text;
                    break;
                case NodeAttribute:
                    foreach (var attribute in ProtoWire.Read(field.Payload).Where(a => a.Number is AttributeGraph or AttributeGraphs))
                    {
                        foreach (var inner in ProtoWire.Read(attribute.Payload).Where(g => g.Number == GraphNode))
                        {
                            captured.AddRange(NodeNames(inner.Payload).Inputs);
                        }
                    }

                    break;
            }
        }

        return (inputs, outputs, opType, name, captured);
    }

    private static string NameOf(ReadOnlyMemory<byte> valueInfo) =>
        ProtoWire.Read(valueInfo).FirstOrDefault(f => f.Number == ValueInfoName).Text ?? string.Empty;

    private static string TensorNameOf(ReadOnlyMemory<byte> tensor) =>
        ProtoWire.Read(tensor).FirstOrDefault(f => f.Number == TensorName).Text ?? string.Empty;

    private static byte[] WithSymbolicAxes(ReadOnlyMemory<byte> valueInfo, int[] axes)
    {
        string name = NameOf(valueInfo);
        return Rewrite(valueInfo, ValueInfoType, type =>
            Rewrite(type, TypeTensor, tensor =>
                Rewrite(tensor, TensorShape, shape =>
                {
                    using var dims = new MemoryStream();
                    int axis = 0;
                    foreach (var field in ProtoWire.Read(shape))
                    {
                        if (field.Number == ShapeDim && axes.Contains(axis++))
                        {
                            using var dim = new MemoryStream();
                            ProtoWire.WriteString(dim, DimParam, $"{name}_{axis - 1}");
                            ProtoWire.WriteBytes(dims, ShapeDim, dim.ToArray());
                        }
                        else
                        {
                            dims.Write(field.Encoded.Span);
                        }
                    }

                    return dims.ToArray();
                })));
    }

    /// <summary>The message with its length-delimited field <paramref name="number"/> replaced by <paramref name="change"/>(its payload).</summary>
    private static byte[] Rewrite(ReadOnlyMemory<byte> message, int number, Func<ReadOnlyMemory<byte>, byte[]> change)
    {
        using var result = new MemoryStream();
        foreach (var field in ProtoWire.Read(message))
        {
            if (field.Number == number && field.WireType == 2)
            {
                ProtoWire.WriteBytes(result, number, change(field.Payload));
            }
            else
            {
                result.Write(field.Encoded.Span);
            }
        }

        return result.ToArray();
    }
}
