using System.Diagnostics;

namespace Grounded.Tests.Support;

/// <summary>Runs a system command (mkfifo, mknod) to the end.</summary>
internal static class Processes
{
    public static async Task<(int Code, string Err)> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        string err = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, err);
    }
}
