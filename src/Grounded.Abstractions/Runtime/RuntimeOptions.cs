using Grounded.Settings;
using Microsoft.Extensions.Logging;

namespace Grounded;

/// <summary>Where and how models run, for every stage alike. Validated when built.</summary>
public sealed record RuntimeOptions
{
    private readonly int _intraOpThreads;
    private readonly int _interOpThreads;
    private readonly GraphOptimization _graphOptimization;

    /// <summary>Where to run (default auto: CUDA when it loads, else CPU).</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Auto;

    /// <summary>Threads inside one operator; 0 lets the runtime choose (one per physical core). At most four per core.</summary>
    [SettingName("threads")]
    public int IntraOpThreads
    {
        get => _intraOpThreads;
        init => _intraOpThreads = Check.Range(value, "threads", 0, Check.MaxThreads);
    }

    /// <summary>Threads across independent operators; 0 lets the runtime choose. At most four per core.</summary>
    public int InterOpThreads
    {
        get => _interOpThreads;
        init => _interOpThreads = Check.Range(value, "inter_op_threads", 0, Check.MaxThreads);
    }

    /// <summary>Graph optimisation level (default all).</summary>
    public GraphOptimization GraphOptimization
    {
        get => _graphOptimization;
        init => _graphOptimization = Check.Defined(value, "graph_optimization");
    }

    /// <summary>
    /// Where ONNX Runtime's optimised copy of each model is kept for CPU sessions, so a later cold start skips graph
    /// optimisation (a copy is keyed by the model's content, the files beside it that may hold its weights, the
    /// runtime version, the optimisation level and the processor architecture). Default: GROUNDED_OPTIMIZED_MODELS_DIR, else the user cache's grounded/optimized; empty
    /// turns it off.
    /// </summary>
    public string OptimizedModelCache { get; init; } = Grounded.IO.UserCache.Folder("optimized", "GROUNDED_OPTIMIZED_MODELS_DIR");

    /// <summary>Where one-line notices of opening models go, such as the CUDA-to-CPU fallback (none by default).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The defaults.</summary>
    public static RuntimeOptions Default { get; } = new();
}
