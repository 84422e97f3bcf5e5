using System.Text;

namespace Grounded.Tests.Support;

/// <summary>
/// Writes small ONNX models (protobuf wire format, written by hand) so tests can build graphs with an exact I/O
/// contract without Python. Only the handful of message fields these tests need are supported.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    public const int Float = 1;
    public const int Int32Type = 6;
    public const int Int64Type = 7;
    public const int Bool = 9;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly List<byte[]> _initializers = [];
    private int _counter;

    /// <summary>Declares a graph input; a dimension of null is dynamic.</summary>
    public OnnxGraphBuilder Input(string name, int elemType, params long?[] dims)
    {
        _inputs.Add(ValueInfo(name, elemType, dims));
        return this;
    }

    /// <summary>Declares a graph output.</summary>
    public OnnxGraphBuilder Output(string name, int elemType, params long?[] dims)
    {
        _outputs.Add(ValueInfo(name, elemType, dims));
        return this;
    }

    /// <summary>Adds a float constant (initializer) and returns its name.</summary>
    public string Constant(float[] values, params long[] dims) => Initializer(Float, [.. values.SelectMany(BitConverter.GetBytes)], dims);

    /// <summary>Adds an int64 constant and returns its name.</summary>
    public string Constant(long[] values, params long[] dims) => Initializer(Int64Type, [.. values.SelectMany(BitConverter.GetBytes)], dims);

    private string Initializer(int elemType, byte[] raw, long[] dims)
    {
        string name = $"const_{_counter++}";
        var w = new ProtoWriter();
        foreach (long d in dims)
        {
            w.Varint(1, d);
        }

        w.Varint(2, elemType);
        w.Bytes(8, Encoding.UTF8.GetBytes(name));
        w.Bytes(9, raw);
        _initializers.Add(w.ToArray());
        return name;
    }

    /// <summary>Adds a node and returns its (first) output name, or uses <paramref name="output"/>.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        output ??= $"{opType.ToLowerInvariant()}_{_counter++}";
        var w = new ProtoWriter();
        foreach (string i in inputs)
        {
            w.Bytes(1, Encoding.UTF8.GetBytes(i));
        }

        w.Bytes(2, Encoding.UTF8.GetBytes(output));
        w.Bytes(3, Encoding.UTF8.GetBytes($"n{_counter++}"));
        w.Bytes(4, Encoding.UTF8.GetBytes(opType));
        foreach (var (name, value) in attributes)
        {
            var a = new ProtoWriter();
            a.Bytes(1, Encoding.UTF8.GetBytes(name));
            switch (value)
            {
                case float f:
                    a.Fixed32(2, BitConverter.SingleToUInt32Bits(f));
                    a.Varint(20, 1);
                    break;
                case int or long:
                    a.Varint(3, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    a.Varint(20, 2);
                    break;
                case long[] ints:
                    foreach (long v in ints)
                    {
                        a.Varint(8, v);
                    }

                    a.Varint(20, 7);
                    break;
                default:
                    throw new NotSupportedException(value.GetType().Name);
            }

            w.Bytes(5, a.ToArray());
        }

        _nodes.Add(w.ToArray());
        return output;
    }

    /// <summary>Serialises the model (IR 8, default opset 17).</summary>
    public byte[] Build(int opset = 17)
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes)
        {
            graph.Bytes(1, n);
        }

        graph.Bytes(2, "test"u8.ToArray());
        foreach (var i in _initializers)
        {
            graph.Bytes(5, i);
        }

        foreach (var i in _inputs)
        {
            graph.Bytes(11, i);
        }

        foreach (var o in _outputs)
        {
            graph.Bytes(12, o);
        }

        var opsetId = new ProtoWriter();
        opsetId.Bytes(1, []);
        opsetId.Varint(2, opset);
        var model = new ProtoWriter();
        model.Varint(1, 8);
        model.Bytes(2, "grounded-tests"u8.ToArray());
        model.Bytes(7, graph.ToArray());
        model.Bytes(8, opsetId.ToArray());
        return model.ToArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, Build());

    private static byte[] ValueInfo(string name, int elemType, long?[] dims)
    {
        var shape = new ProtoWriter();
        int k = 0;
        foreach (long? d in dims)
        {
            var dim = new ProtoWriter();
            if (d is long v)
            {
                dim.Varint(1, v);
            }
            else
            {
                dim.Bytes(2, Encoding.UTF8.GetBytes($"{name}_d{k}"));
            }

            k++;
            shape.Bytes(1, dim.ToArray());
        }

        var tensor = new ProtoWriter();
        tensor.Varint(1, elemType);
        tensor.Bytes(2, shape.ToArray());
        var type = new ProtoWriter();
        type.Bytes(1, tensor.ToArray());
        var info = new ProtoWriter();
        info.Bytes(1, Encoding.UTF8.GetBytes(name));
        info.Bytes(2, type.ToArray());
        return info.ToArray();
    }

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void Varint(int field, long value)
        {
            Tag(field, 0);
            Raw((ulong)value);
        }

        public void Fixed32(int field, uint value)
        {
            Tag(field, 5);
            _stream.Write(BitConverter.GetBytes(value));
        }

        public void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _stream.Write(value);
        }

        public byte[] ToArray() => _stream.ToArray();

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
