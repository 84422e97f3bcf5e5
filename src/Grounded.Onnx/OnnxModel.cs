using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Grounded.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Grounded.Onnx;

/// <summary>
/// The single owner of one <see cref="InferenceSession"/>: runs it with cancellation and hands outputs back as
/// managed tensors. Must be disposed.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private long _runTicks;

    private OnnxModel(InferenceSession session, string path)
    {
        _session = session;
        Path = path;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>Wall time spent inside ONNX Runtime's Run, summed over every call (profiling).</summary>
    public TimeSpan TotalRunTime => TimeSpan.FromTicks(Interlocked.Read(ref _runTicks));

    /// <summary>Input metadata by name.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;

    /// <summary>Output metadata by name.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> Outputs => _session.OutputMetadata;

    /// <summary>Opens a model and checks its contract.</summary>
    public static OnnxModel Open(string path, RuntimeOptions? options = null, ModelContract? contract = null) =>
        new(OnnxSessionFactory.Open(path, options, contract), path);

    /// <summary>Opens a model held in memory: a specialised copy of the model at <paramref name="path"/>.</summary>
    public static OnnxModel Open(byte[] model, string path, RuntimeOptions? options = null, ModelContract? contract = null) =>
        new(OnnxSessionFactory.Open(model, path, options, contract), path);

    /// <summary>
    /// Opens two models at once: creating a session (graph optimisation) is most of a cold start, and an encoder's
    /// and its decoder's do not depend on each other. If either fails, the other is disposed and the failure thrown.
    /// </summary>
    public static (OnnxModel First, OnnxModel Second) OpenTogether(Func<OnnxModel> first, Func<OnnxModel> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var secondTask = Task.Run(second);
        OnnxModel opened;
        try
        {
            opened = first();
        }
        catch
        {
            // WhenAny never throws: the second model is waited for, and disposed if it opened.
            Task.WhenAny(secondTask).GetAwaiter().GetResult();
            if (secondTask.IsCompletedSuccessfully)
            {
                secondTask.Result.Dispose();
            }

            throw;
        }

        try
        {
            return (opened, secondTask.GetAwaiter().GetResult());
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>Checks a further contract (e.g. one of two alternative input sets) against this model.</summary>
    public void Verify(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        contract.Verify(_session, Path);
    }

    /// <summary>True when the model has an input of that name.</summary>
    public bool HasInput(string name) => _session.InputMetadata.ContainsKey(name);

    /// <summary>
    /// The feeds this model declares an input for: a specialised copy may have dropped inputs the original takes, and
    /// ONNX Runtime refuses a feed it does not know.
    /// </summary>
    public Dictionary<string, TensorData<float>> DeclaredOf(IReadOnlyDictionary<string, TensorData<float>> feeds)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        return feeds.Where(kv => HasInput(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>The declared dimensions of an input (-1 where dynamic).</summary>
    public int[] InputDimensions(string name) => _session.InputMetadata[name].Dimensions;

    /// <summary>
    /// Runs the model. Inputs are float32 or integer tensors by name, converted to the element type the model declares
    /// (float16; bool, int32); every output is returned as float32 (float16 and int64 outputs are widened).
    /// </summary>
    public IReadOnlyDictionary<string, TensorData<float>> Run(
        IReadOnlyDictionary<string, TensorData<float>> floatInputs,
        IReadOnlyDictionary<string, TensorData<long>>? longInputs = null,
        IReadOnlyList<string>? outputNames = null,
        CancellationToken cancellationToken = default) =>
        Run(floatInputs, longInputs, outputNames, shrinkArena: false, cancellationToken);

    /// <summary>Runs the model (see the other overload); with <paramref name="shrinkArena"/>, the CPU arena gives back what this run grew it by.</summary>
    public IReadOnlyDictionary<string, TensorData<float>> Run(
        IReadOnlyDictionary<string, TensorData<float>> floatInputs,
        IReadOnlyDictionary<string, TensorData<long>>? longInputs,
        IReadOnlyList<string>? outputNames,
        bool shrinkArena,
        CancellationToken cancellationToken = default)
    {
        var names = outputNames ?? [.. _session.OutputNames];
        return Run(floatInputs, longInputs, names, outputs => (IReadOnlyDictionary<string, TensorData<float>>)names.ToDictionary(n => n, outputs.Copy, StringComparer.Ordinal), shrinkArena, cancellationToken);
    }

    /// <summary>
    /// Images above this many pixels are "large": the detector's and decoders' runs give the CPU arena back afterwards
    /// for them. Below it those arenas keep what they grew (a shrink after every run cost a warm fixture Grounding DINO
    /// call 2.5x its time). SAM encoders give theirs back after their first run only (see the segmenter's EncoderArena).
    /// </summary>
    public const long LargeImagePixels = 16_000_000;

    /// <summary>
    /// Runs the model and hands its outputs to <paramref name="read"/> in place (no copy of float32 outputs): what
    /// <paramref name="read"/> returns must not hold on to the spans.
    /// </summary>
    public T Run<T>(
        IReadOnlyDictionary<string, TensorData<float>> floatInputs,
        IReadOnlyDictionary<string, TensorData<long>>? longInputs,
        IReadOnlyList<string> outputNames,
        Func<OnnxOutputs, T> read,
        CancellationToken cancellationToken = default) =>
        Run(floatInputs, longInputs, outputNames, read, shrinkArena: false, cancellationToken);

    /// <summary>Runs the model and reads its outputs in place; with <paramref name="shrinkArena"/>, the CPU arena gives back what this run grew it by.</summary>
    public T Run<T>(
        IReadOnlyDictionary<string, TensorData<float>> floatInputs,
        IReadOnlyDictionary<string, TensorData<long>>? longInputs,
        IReadOnlyList<string> outputNames,
        Func<OnnxOutputs, T> read,
        bool shrinkArena,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(floatInputs);
        ArgumentNullException.ThrowIfNull(outputNames);
        ArgumentNullException.ThrowIfNull(read);
        cancellationToken.ThrowIfCancellationRequested();
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, tensor) in floatInputs)
            {
                names.Add(name);
                values.Add(CreateFloatInput(name, tensor));
            }

            if (longInputs is not null)
            {
                foreach (var (name, tensor) in longInputs)
                {
                    names.Add(name);
                    values.Add(CreateIntegerInput(name, tensor));
                }
            }

            using var runOptions = new RunOptions();
            if (shrinkArena)
            {
                // A large image's activations and outputs would otherwise stay reserved for the life of the session.
                runOptions.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            }

            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            IDisposableReadOnlyCollection<OrtValue> results;
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                results = _session.Run(runOptions, names, values, outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new GroundedException($"Model '{Path}' failed to run: {ex.Message.Split('\n')[0]}", ex);
            }

            Interlocked.Add(ref _runTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
            using (results)
            {
                return read(new OnnxOutputs(outputNames, results));
            }
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }
        }
    }

    private OrtValue CreateFloatInput(string name, TensorData<float> tensor)
    {
        if (_session.InputMetadata.TryGetValue(name, out var meta) && meta.ElementDataType == TensorElementType.Float16)
        {
            var half = new Float16[tensor.Data.Length];
            TensorPrimitives.ConvertToHalf(tensor.Data, MemoryMarshal.Cast<Float16, Half>(half.AsSpan()));
            return OrtValue.CreateTensorValueFromMemory(half, tensor.Shape);
        }

        return OrtValue.CreateTensorValueFromMemory(tensor.Data, tensor.Shape);
    }

    // Integer inputs follow the model's declared type: IDEA-style exports take masks as bool, some exports int32 ids.
    private OrtValue CreateIntegerInput(string name, TensorData<long> tensor)
    {
        var type = _session.InputMetadata.TryGetValue(name, out var meta) ? meta.ElementDataType : TensorElementType.Int64;
        switch (type)
        {
            case TensorElementType.Bool:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(tensor.Data, v => v != 0), tensor.Shape);
            case TensorElementType.Int32:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(tensor.Data, v => (int)v), tensor.Shape);
            case TensorElementType.Float:
                return OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(tensor.Data, v => (float)v), tensor.Shape);
            default:
                return OrtValue.CreateTensorValueFromMemory(tensor.Data, tensor.Shape);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
