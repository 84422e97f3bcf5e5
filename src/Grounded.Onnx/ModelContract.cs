using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Grounded.Onnx;

/// <summary>The inputs and outputs a stage needs from a model, checked once when the model loads.</summary>
public sealed record ModelContract(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    /// <summary>Throws <see cref="ModelContractException"/> naming the first tensor that is missing or wrong.</summary>
    public void Verify(InferenceSession session, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(session);
        Check(session.InputMetadata, Inputs, modelPath, "input");
        Check(session.OutputMetadata, Outputs, modelPath, "output");
    }

    private static void Check(IReadOnlyDictionary<string, NodeMetadata> actual, IReadOnlyList<TensorSpec> expected, string modelPath, string kind)
    {
        foreach (var spec in expected)
        {
            if (!actual.TryGetValue(spec.Name, out var meta))
            {
                throw new ModelContractException(modelPath, spec.Name, $"must be an {kind}",
                    $"the model's {kind}s are {string.Join(", ", actual.Keys)}");
            }

            if (meta.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR || meta.ElementDataType != spec.ElementType)
            {
                throw new ModelContractException(modelPath, spec.Name, $"must be a {Describe(spec.ElementType)} tensor",
                    $"it is {(meta.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR ? Describe(meta.ElementDataType) : meta.OnnxValueType.ToString())}");
            }

            if (spec.Rank is int rank && meta.Dimensions.Length != rank)
            {
                throw new ModelContractException(modelPath, spec.Name, $"must have rank {rank}",
                    $"it has rank {meta.Dimensions.Length} [{string.Join(", ", meta.Dimensions)}]");
            }
        }
    }

    private static string Describe(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        TensorElementType.UInt8 => "uint8",
        _ => type.ToString().ToLowerInvariant(),
    };
}
