namespace Grounded.Tensors;

/// <summary>A model input or output held in managed memory: row-major data and its shape.</summary>
/// <typeparam name="T">float, long, int, bool …</typeparam>
public sealed record TensorData<T>(T[] Data, long[] Shape)
    where T : unmanaged
{
    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
