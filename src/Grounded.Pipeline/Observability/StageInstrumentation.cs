using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Grounded.Pipeline.Observability;

/// <summary>
/// What the instrumented stages share: an <see cref="ActivitySource"/> span and a duration histogram per call
/// (names "Grounded" and grounded.stage.duration, for OpenTelemetry), a debug log line, and the per-image timing
/// that results.json reports.
/// </summary>
public static partial class StageInstrumentation
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string SourceName = "Grounded";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("grounded.stage.duration", "ms", "Wall time of one stage call.");

    /// <summary>Runs one stage call under a span, a timing and a log line.</summary>
    public static async Task<T> RunAsync<T>(string stage, ILogger logger, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(call);
        using var activity = Source.StartActivity($"grounded.{stage}");
        long start = Stopwatch.GetTimestamp();
        var timer = StageTimer.Current;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            timer?.Add(stage, ms);
            Duration.Record(ms, new KeyValuePair<string, object?>("stage", stage));
            StageFinished(logger, stage, ms);
        }
    }

    /// <summary>The same for calls that return nothing.</summary>
    public static Task RunAsync(string stage, ILogger logger, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(stage, logger, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Stage} took {Milliseconds:0.0} ms")]
    private static partial void StageFinished(ILogger logger, string stage, double milliseconds);
}
