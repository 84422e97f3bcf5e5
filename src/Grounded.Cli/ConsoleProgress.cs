namespace Grounded.Cli;

/// <summary>A one-line progress bar on stderr, drawn only when stderr is a terminal (logs and tests stay clean).</summary>
internal sealed class ConsoleProgress(TextWriter error, bool interactive)
{
    private readonly Lock _lock = new();
    private long _lastDraw;
    private bool _drawn;

    public static ConsoleProgress For(TextWriter error) =>
        new(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);

    public void Report(string label, double fraction, string detail)
    {
        if (!interactive)
        {
            return;
        }

        lock (_lock)
        {
            long now = Environment.TickCount64;
            if (fraction < 1 && now - _lastDraw < 100)
            {
                return;
            }

            _lastDraw = now;
            const int width = 28;
            int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
            error.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {detail}".PadRight(100)[..100]);
            _drawn = fraction < 1;
            if (fraction >= 1)
            {
                error.WriteLine();
            }
        }
    }

    /// <summary>Wipes an unfinished bar, so a result line printed next starts on a clean line.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            if (_drawn)
            {
                error.Write($"\r{new string(' ', 100)}\r");
                _drawn = false;
                _lastDraw = 0;
            }
        }
    }

    public void Done()
    {
        if (interactive)
        {
            error.WriteLine();
        }
    }
}
