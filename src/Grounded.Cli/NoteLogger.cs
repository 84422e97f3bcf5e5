using Microsoft.Extensions.Logging;

namespace Grounded.Cli;

/// <summary>Writes log lines as "note: …" on the error stream; debug lines (the CUDA-to-CPU fallback under auto, say) only with --verbose.</summary>
internal sealed class NoteLogger(TextWriter error, bool verbose = false) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (verbose ? LogLevel.Debug : LogLevel.Information);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            error.WriteLine($"note: {formatter(state, exception)}");
        }
    }
}
