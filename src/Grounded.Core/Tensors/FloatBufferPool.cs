using System.Collections.Concurrent;

namespace Grounded.Tensors;

/// <summary>
/// A few float buffers of one model input's size, kept between calls: a fresh 12 MB array per encode cost more than
/// the normalisation written into it (large-object allocations and the collections they trigger). Buffers are
/// handed out uncleared; a buffer of another length is dropped, so an input that changes size simply allocates.
/// </summary>
public sealed class FloatBufferPool(int capacity = 2)
{
    private readonly ConcurrentBag<float[]> _free = [];

    /// <summary>A buffer of exactly <paramref name="length"/> elements, contents undefined.</summary>
    public float[] Rent(int length)
    {
        while (_free.TryTake(out var buffer))
        {
            if (buffer.Length == length)
            {
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Gives a buffer back once nothing reads it any more (after the run it fed).</summary>
    public void Return(float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (_free.Count < capacity)
        {
            _free.Add(buffer);
        }
    }
}
