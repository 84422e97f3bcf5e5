using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Grounded.Onnx;

/// <summary>
/// A run's outputs, read in place: float32 outputs are spans over ONNX Runtime's own memory, float16 and int64
/// outputs are widened once into a buffer. Valid only inside the callback given to <c>OnnxModel.Run&lt;T&gt;</c>.
/// </summary>
public sealed class OnnxOutputs
{
    private readonly IReadOnlyList<string> _names;
    private readonly IReadOnlyList<OrtValue> _values;
    private readonly Dictionary<string, float[]> _widened = new(StringComparer.Ordinal);

    internal OnnxOutputs(IReadOnlyList<string> names, IReadOnlyList<OrtValue> values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>The output's shape.</summary>
    public long[] Shape(string name) => Value(name).GetTensorTypeAndShape().Shape;

    /// <summary>The output's values as float32, row-major, without a copy where the model returns float32.</summary>
    public ReadOnlySpan<float> Floats(string name)
    {
        var value = Value(name);
        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType == TensorElementType.Float)
        {
            return value.GetTensorDataAsSpan<float>();
        }

        if (!_widened.TryGetValue(name, out var data))
        {
            data = Widen(value, info.ElementDataType);
            _widened[name] = data;
        }

        return data;
    }

    /// <summary>A copy of one output (for results that outlive the run).</summary>
    public Tensors.TensorData<float> Copy(string name)
    {
        var values = Floats(name);
        // Every element is written by the copy, so the runtime need not clear the array first (a SAM embedding: 4 MB).
        var copy = GC.AllocateUninitializedArray<float>(values.Length);
        values.CopyTo(copy);
        return new(copy, Shape(name));
    }

    private OrtValue Value(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if (_names[i] == name)
            {
                return _values[i];
            }
        }

        throw new KeyNotFoundException($"The run did not ask for output '{name}'.");
    }

    private static float[] Widen(OrtValue value, TensorElementType type)
    {
        switch (type)
        {
            case TensorElementType.Float16:
                // ONNX Runtime's Float16 and .NET's Half share the IEEE binary16 layout.
                var halves = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
                var fromHalf = new float[halves.Length];
                TensorPrimitives.ConvertToSingle(halves, fromHalf);
                return fromHalf;
            case TensorElementType.Int64:
                var longs = value.GetTensorDataAsSpan<long>();
                var fromLong = new float[longs.Length];
                for (int i = 0; i < longs.Length; i++)
                {
                    fromLong[i] = longs[i];
                }

                return fromLong;
            default:
                throw new GroundedException($"Unsupported output element type {type}.");
        }
    }
}
