using Grounded.Models;
using Grounded.Settings;

namespace Grounded.Cli;

/// <summary>Turns exceptions into one-line messages and exit codes, by the one error taxonomy; stack traces only with --verbose.</summary>
internal static class CliErrors
{
    public static int CodeOf(Exception ex) => GroundedException.KindOf(ex) switch
    {
        ErrorKind.Cancelled => ExitCodes.Cancelled,
        ErrorKind.Usage => ExitCodes.Usage,
        ErrorKind.Input => ExitCodes.Input,
        ErrorKind.Model => ExitCodes.Model,
        _ => ExitCodes.Runtime,
    };

    public static int Report(Exception ex, TextWriter error, bool verbose)
    {
        int code = CodeOf(ex);
        string message = code == ExitCodes.Cancelled ? "cancelled" : ex.Message;
        if (ex is InvalidSettingException setting)
        {
            // The records name settings by their key; on the command line they are flags (three are shorter).
            message = message.Replace(setting.Setting, FlagOf(setting.Setting), StringComparison.Ordinal);
        }

        if (!verbose && ex is not ModelsUnavailableException)
        {
            // One line unless --verbose; the offline instructions are the exception: they list the files to fetch.
            message = message.Split('\n')[0].TrimEnd();
        }

        error.WriteLine($"error: {message}");
        if (verbose && code != ExitCodes.Cancelled)
        {
            error.WriteLine(ex.ToString());
        }

        return code;
    }

    private static string FlagOf(string setting) => setting switch
    {
        "formats" => "--format",
        "parallelism" => "--parallel",
        "graph_optimization" => "--graph-opt",
        _ => "--" + setting.Replace('_', '-'),
    };
}
