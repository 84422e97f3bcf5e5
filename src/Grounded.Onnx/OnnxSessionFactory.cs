using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Grounded.Onnx;

/// <summary>
/// Opens ONNX models with the requested device and threading, and checks their contract. The caller owns the
/// returned session and must dispose it.
/// </summary>
public static partial class OnnxSessionFactory
{
    /// <summary>Opens a model file and verifies it against <paramref name="contract"/> (when given).</summary>
    /// <exception cref="ModelContractException">The file is missing, is not a loadable model, or breaks the contract.</exception>
    public static InferenceSession Open(string modelPath, RuntimeOptions? options = null, ModelContract? contract = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        QuietNativeLogging();
        options ??= RuntimeOptions.Default;
        if (!File.Exists(modelPath))
        {
            throw new ModelContractException(modelPath, "the file does not exist.");
        }

        return Create(modelPath, options, contract, so => OptimizedModelCache.Open(modelPath, so, options, RunsOnCpuOnly(options)));
    }

    /// <summary>
    /// Opens a model held in memory (a specialised copy of <paramref name="modelPath"/>, which names it in errors)
    /// and verifies it against <paramref name="contract"/> (when given).
    /// </summary>
    public static InferenceSession Open(byte[] model, string modelPath, RuntimeOptions? options = null, ModelContract? contract = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelPath);
        QuietNativeLogging();
        return Create(modelPath, options ?? RuntimeOptions.Default, contract, so => new InferenceSession(model, so));
    }

    private static InferenceSession Create(string modelPath, RuntimeOptions options, ModelContract? contract, Func<SessionOptions, InferenceSession> create)
    {
        InferenceSession session;
        try
        {
            using var sessionOptions = CreateSessionOptions(options);
            session = create(sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelContractException(modelPath, $"ONNX Runtime cannot load it: {FirstLine(ex.Message)}", ex);
        }

        try
        {
            contract?.Verify(session, modelPath);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Builds session options for the device, falling back from CUDA to CPU under <c>auto</c>.</summary>
    public static SessionOptions CreateSessionOptions(RuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var so = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimization switch
            {
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            // On the CPU the memory pattern only costs memory: the first run allocates tensor by tensor (its chunks
            // stay in the arena), the second plans one block beside them for the same tensors, and a model fed
            // several shapes keeps a block per shape. Without it the arena reuses the first run's chunks at the same
            // speed: MobileSAM's encoder holds 300 MB instead of 575, a folder run peaks 150-250 MB lower.
            EnableMemoryPattern = false,
        };
        if (options.Device.Kind == ExecutionDeviceKind.Cpu)
        {
            return so;
        }

        // Under auto, one failed attempt settles it for the process: no retry per model, one log line in all.
        if (options.Device.Kind == ExecutionDeviceKind.Auto && Volatile.Read(ref _cudaFailure) is not null)
        {
            return so;
        }

        try
        {
            QuietNativeLogging();
            so.AppendExecutionProvider_CUDA(options.Device.DeviceId);
            so.EnableMemoryPattern = true;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            if (options.Device.Kind == ExecutionDeviceKind.Cuda)
            {
                so.Dispose();
                throw new DeviceUnavailableException($"CUDA device {options.Device.DeviceId} is not usable: {FirstLine(ex.Message)}", ex);
            }

            if (Interlocked.CompareExchange(ref _cudaFailure, FirstLine(ex.Message), null) is null)
            {
                CudaFallback(options.Logger ?? NullLogger.Instance, FirstLine(ex.Message), null);
            }
        }

        return so;
    }

    /// <summary>True when sessions for these options get no CUDA provider (asked for CPU, or auto after CUDA failed to load).</summary>
    private static bool RunsOnCpuOnly(RuntimeOptions options) =>
        options.Device.Kind == ExecutionDeviceKind.Cpu || (options.Device.Kind == ExecutionDeviceKind.Auto && Volatile.Read(ref _cudaFailure) is not null);

    private static string? _cudaFailure;
    private static int _loggingConfigured;

    // ONNX Runtime prints its own error line when the CUDA provider library cannot load; the fallback notice above
    // says it once and plainly, so native logging is limited to errors that abort.
    private static void QuietNativeLogging()
    {
        if (Interlocked.Exchange(ref _loggingConfigured, 1) != 0)
        {
            return;
        }

        try
        {
            var envOptions = new EnvironmentCreationOptions { logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, logId = "grounded" };
            OrtEnv.CreateInstanceWithOptions(ref envOptions);
        }
        catch (OnnxRuntimeException)
        {
            // The environment already exists (created by a host or an earlier session): keep its settings.
        }
    }

    private static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        return (nl < 0 ? message : message[..nl]).Trim();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "CUDA is not available ({Reason}); running on CPU.")]
    private static partial void CudaFallback(ILogger logger, string reason, Exception? exception);
}
