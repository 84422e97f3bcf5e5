using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grounded.Pipeline.Results;

/// <summary>Collects per-stage wall times; safe to use from stages that run concurrently.</summary>
public sealed class StageTimer
{
    private readonly ConcurrentDictionary<string, double> _ms = new();

    /// <summary>Runs <paramref name="work"/> and records its duration under <paramref name="stage"/>.</summary>
    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var sw = Stopwatch.StartNew();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _ms.AddOrUpdate(stage, sw.Elapsed.TotalMilliseconds, (_, v) => v + sw.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Records a duration.</summary>
    public void Add(string stage, double milliseconds) => _ms.AddOrUpdate(stage, milliseconds, (_, v) => v + milliseconds);

    /// <summary>A snapshot, rounded to 0.1 ms.</summary>
    public IReadOnlyDictionary<string, double> Snapshot() => _ms.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 1));
}
