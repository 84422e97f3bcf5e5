using System.CommandLine;

namespace Grounded.Cli.Commands;

/// <summary>The one place a command's work meets the error taxonomy: every failure becomes a one-line message and its exit code.</summary>
internal static class CliAction
{
    public static void Set(Command command, TextWriter error, Option<bool>? verbose, Func<ParseResult, CancellationToken, Task<int>> run)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await run(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CliErrors.Report(ex, error, verbose is not null && parse.GetValue(verbose));
            }
        });
    }
}
