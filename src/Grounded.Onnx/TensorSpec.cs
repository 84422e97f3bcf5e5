using Microsoft.ML.OnnxRuntime.Tensors;

namespace Grounded.Onnx;

/// <summary>What a model input or output must look like: name, element type, and rank (null = any).</summary>
public sealed record TensorSpec(string Name, TensorElementType ElementType, int? Rank)
{
    /// <summary>A float32 tensor of the given rank.</summary>
    public static TensorSpec Float(string name, int? rank) => new(name, TensorElementType.Float, rank);

    /// <summary>An int64 tensor of the given rank.</summary>
    public static TensorSpec Int64(string name, int? rank) => new(name, TensorElementType.Int64, rank);
}
