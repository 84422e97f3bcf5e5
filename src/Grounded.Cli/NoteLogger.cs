using Microsoft.Extensions.Logging;

namespace Grounded.Cli;

/// <summary>Writes informational log lines as "note: …" on the error stream (the CUDA fallback, say); debug lines are dropped.</summary>
internal sealed class NoteLogger(TextWriter error) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            error.WriteLine($"note: {formatter(state, exception)}");
        }
    }
}
