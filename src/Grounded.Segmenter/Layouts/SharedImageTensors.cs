using Grounded.Onnx.Graphs;

namespace Grounded.Segmenter.Layouts;

/// <summary>
/// segment-anything's mask decoder repeats the image embedding and its positional encoding once per prompt
/// (repeat_interleave, exported as Unsqueeze → Expand → Reshape) before its transformer flattens them to tokens. In a
/// batch every prompt then projects the same image tokens again (the first layer's keys, values and image queries).
/// Rewired to feed the flatten the unrepeated tensor, those projections run once and broadcast over the prompts;
/// the shapes read for the decoder's later reshapes keep reading the repeated one. Only the rewires are found here:
/// the rewritten graph is trusted only after it agrees with the original.
/// </summary>
internal static class SharedImageTensors
{
    public static IReadOnlyList<InputRewire> Rewires(IReadOnlyList<OnnxNode> nodes)
    {
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<OnnxNode>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (string output in node.Outputs)
            {
                producer[output] = node;
            }

            foreach (string input in node.Inputs.Where(i => i.Length > 0).Distinct())
            {
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
            }
        }

        var rewires = new List<InputRewire>();
        foreach (var reshape in nodes.Where(n => n.OpType == "Reshape"))
        {
            if (Repeat(reshape, producer) is not { } source)
            {
                continue;
            }

            string repeated = reshape.Outputs[0];
            var users = Consumers(repeated, consumers);
            if (users is [{ OpType: "Concat", Inputs.Count: 1 } identity])
            {
                repeated = identity.Outputs[0];
                users = Consumers(repeated, consumers);
            }

            // The image side: repeated + dense prompt embedding, then flattened. The prompt side stays repeated.
            var nonShape = users.Where(u => u.OpType != "Shape").ToList();
            if (nonShape is [{ OpType: "Add" } add] && Flatten(add.Outputs[0], consumers, producer) is { } addFlatten)
            {
                rewires.Add(new(add.Index, add.Inputs.ToList().IndexOf(repeated), source));
                foreach (var shape in Consumers(add.Outputs[0], consumers).Where(u => u.OpType == "Shape" && !addFlatten.ShapeReaders.Contains(u)))
                {
                    rewires.Add(new(shape.Index, 0, repeated));
                }
            }
            else if (nonShape is [{ OpType: "Reshape" }] && Flatten(repeated, consumers, producer) is { } flatten)
            {
                rewires.Add(new(flatten.Reshape.Index, 0, source));
                rewires.AddRange(flatten.ShapeReaders.Select(shape => new InputRewire(shape.Index, 0, source)));
            }
        }

        return rewires;
    }

    /// <summary>The unrepeated tensor when <paramref name="reshape"/> ends a repeat_interleave over the batch axis.</summary>
    private static string? Repeat(OnnxNode reshape, Dictionary<string, OnnxNode> producer) =>
        producer.TryGetValue(reshape.Inputs[0], out var expand) && expand.OpType == "Expand"
        && producer.TryGetValue(expand.Inputs[0], out var unsqueeze) && unsqueeze.OpType == "Unsqueeze"
            ? unsqueeze.Inputs[0]
            : null;

    /// <summary>
    /// The one Reshape that flattens <paramref name="tensor"/> to a shape computed from the tensor's own Shape, and
    /// those Shape nodes (they must read whatever the Reshape reads).
    /// </summary>
    private static (OnnxNode Reshape, HashSet<OnnxNode> ShapeReaders)? Flatten(string tensor, Dictionary<string, List<OnnxNode>> consumers, Dictionary<string, OnnxNode> producer)
    {
        var reshapes = Consumers(tensor, consumers).Where(u => u.OpType == "Reshape" && u.Inputs[0] == tensor).ToList();
        if (reshapes is not [var reshape] || reshape.Inputs.Count < 2)
        {
            return null;
        }

        var readers = new HashSet<OnnxNode>();
        var pending = new Stack<string>([reshape.Inputs[1]]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out string? name))
        {
            if (!seen.Add(name) || !producer.TryGetValue(name, out var node))
            {
                continue;
            }

            if (node.OpType == "Shape")
            {
                if (node.Inputs[0] != tensor)
                {
                    return null; // the flat shape depends on another tensor's shape: not a plain flatten
                }

                readers.Add(node);
                continue;
            }

            foreach (string input in node.Inputs.Where(i => i.Length > 0))
            {
                pending.Push(input);
            }
        }

        return readers.Count > 0 ? (reshape, readers) : null;
    }

    private static List<OnnxNode> Consumers(string tensor, Dictionary<string, List<OnnxNode>> consumers) =>
        consumers.TryGetValue(tensor, out var list) ? list : [];
}
