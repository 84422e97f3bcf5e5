using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grounded.Pipeline;

/// <summary>
/// Collects one image's per-stage wall times; safe for stages that run concurrently. The pipeline makes the image's
/// timer <see cref="Current"/> while it runs, so instrumented stages record into it without being handed it.
/// </summary>
public sealed class StageTimer
{
    private static readonly AsyncLocal<StageTimer?> Ambient = new();
    private readonly ConcurrentDictionary<string, double> _ms = new();

    /// <summary>The timer of the image being run on this async flow, if any.</summary>
    public static StageTimer? Current
    {
        get => Ambient.Value;
        internal set => Ambient.Value = value;
    }

    /// <summary>Records a duration.</summary>
    public void Add(string stage, double milliseconds) => _ms.AddOrUpdate(stage, milliseconds, (_, v) => v + milliseconds);

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public void AddSince(string stage, long startTimestamp) => Add(stage, Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    /// <summary>A snapshot, rounded to 0.1 ms.</summary>
    public IReadOnlyDictionary<string, double> Snapshot() => _ms.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 1));
}
