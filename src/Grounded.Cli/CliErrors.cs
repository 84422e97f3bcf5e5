using Grounded.Imaging;
using Grounded.Onnx;
using Grounded.Pipeline.Models;

namespace Grounded.Cli;

/// <summary>Turns exceptions into one-line messages and exit codes; stack traces only with --verbose.</summary>
internal static class CliErrors
{
    public static int CodeOf(Exception ex) => ex switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        ImageLoadException => ExitCodes.Input,
        ModelContractException or ModelsUnavailableException => ExitCodes.Model,
        InvalidRequestException or FormatException => ExitCodes.Usage,
        _ => ExitCodes.Runtime,
    };

    public static int Report(Exception ex, TextWriter error, bool verbose)
    {
        int code = CodeOf(ex);
        string message = code == ExitCodes.Cancelled ? "cancelled" : ex.Message;
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
}
