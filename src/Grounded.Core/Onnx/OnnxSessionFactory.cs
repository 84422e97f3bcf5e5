using Microsoft.ML.OnnxRuntime;

namespace Grounded.Onnx;

/// <summary>
/// Opens ONNX models with the requested device and threading, and checks their contract. The caller owns the
/// returned session and must dispose it.
/// </summary>
public static class OnnxSessionFactory
{
    /// <summary>Opens a model file and verifies it against <paramref name="contract"/> (when given).</summary>
    /// <exception cref="ModelContractException">The file is missing, is not a loadable model, or breaks the contract.</exception>
    public static InferenceSession Open(string modelPath, OnnxRuntimeOptions? options = null, ModelContract? contract = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= OnnxRuntimeOptions.Default;
        if (!File.Exists(modelPath))
        {
            throw new ModelContractException(modelPath, "the file does not exist.");
        }

        InferenceSession session;
        try
        {
            using var sessionOptions = CreateSessionOptions(options);
            session = new InferenceSession(modelPath, sessionOptions);
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
    public static SessionOptions CreateSessionOptions(OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var so = new SessionOptions
        {
            GraphOptimizationLevel = options.OptimizationLevel,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
        };
        if (options.Device.Kind == ExecutionDeviceKind.Cpu)
        {
            return so;
        }

        try
        {
            so.AppendExecutionProvider_CUDA(options.Device.DeviceId);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            if (options.Device.Kind == ExecutionDeviceKind.Cuda)
            {
                so.Dispose();
                throw new GroundedException($"CUDA device {options.Device.DeviceId} is not usable: {FirstLine(ex.Message)}", ex);
            }

            if (Interlocked.Exchange(ref _fallbackLogged, 1) == 0)
            {
                options.Log?.Invoke($"CUDA is not available ({FirstLine(ex.Message)}); running on CPU.");
            }
        }

        return so;
    }

    private static int _fallbackLogged;

    private static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        return (nl < 0 ? message : message[..nl]).Trim();
    }
}
