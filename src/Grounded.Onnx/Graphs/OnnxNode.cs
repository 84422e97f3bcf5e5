namespace Grounded.Onnx.Graphs;

/// <summary>One node of a model's main graph, as <see cref="OnnxGraphRewriter.Nodes"/> lists them (in graph order).</summary>
/// <param name="Index">Its place in the graph's node list: what an <see cref="InputRewire"/> names.</param>
/// <param name="OpType">The operator, such as "Reshape".</param>
/// <param name="Name">The node's name (may be empty).</param>
/// <param name="Inputs">The tensors it reads, in order ("" for an omitted optional input).</param>
/// <param name="Outputs">The tensors it writes, in order.</param>
public sealed record OnnxNode(int Index, string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>Input <paramref name="Input"/> of node <paramref name="Node"/> reads <paramref name="Tensor"/> instead.</summary>
/// <param name="Node">The node's index (<see cref="OnnxNode.Index"/>).</param>
/// <param name="Input">Which of its inputs, from 0.</param>
/// <param name="Tensor">The tensor it reads from now on.</param>
public readonly record struct InputRewire(int Node, int Input, string Tensor);
