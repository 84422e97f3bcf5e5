using System.Diagnostics;

namespace Grounded.Tests.Support;

/// <summary>Runs the built grounded command as a real process (for kills, concurrent shards and exit codes).</summary>
internal static class CliProcess
{
    /// <summary>The CLI project's own output (with its runtimeconfig), in the configuration the tests were built in.</summary>
    public static string Dll { get; } = Path.GetFullPath(Path.Combine(Fixtures.Root, "..", "..", "src", "Grounded.Cli", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release", "net10.0", "grounded.dll"));

    /// <summary>Starts grounded with the arguments; stdout and stderr are read in the background.</summary>
    public static (Process Process, Task<string> Out, Task<string> Err) Start(params string[] args)
    {
        string cli = Dll;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        // A shard count from the test host's environment must not leak into the child.
        start.Environment.Remove("JOB_COMPLETION_INDEX");
        start.Environment.Remove("GROUNDED_SHARD_COUNT");
        var process = Process.Start(start)!;
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>Runs grounded to the end (at most 3 minutes).</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (process, stdout, stderr) = Start(args);
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
