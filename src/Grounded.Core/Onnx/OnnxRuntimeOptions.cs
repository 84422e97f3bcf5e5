using Microsoft.ML.OnnxRuntime;

namespace Grounded.Onnx;

/// <summary>How ONNX Runtime sessions are created.</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>Where to run (default auto).</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Auto;

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Graph optimisation level (default all).</summary>
    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Receives one-line notices such as the CUDA-to-CPU fallback; null discards them.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The defaults.</summary>
    public static OnnxRuntimeOptions Default { get; } = new();
}
