using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Grounded.Benchmarks.Table;

/// <summary>
/// `table [rows…]`: every figure of the performance issue side by side with raw ONNX Runtime on the same sessions'
/// settings, in one command. Each row runs in a fresh process of this program (so its peak resident memory is its
/// own and cold starts are cold) and reports one JSON line; this prints them as a Markdown table. Rows: encode,
/// decode, boxes, detect, click, cold, everything, everything-fixture (all by default). Build the CLI in Release first (cold).
/// </summary>
internal static class SideBySide
{
    public static readonly string[] AllRows = ["encode", "decode", "boxes", "detect", "click", "cold", "everything-fixture", "everything"];

    public static async Task RunAsync(string[] rows)
    {
        rows = rows.Length == 0 ? AllRows : rows;
        Console.WriteLine(FormattableString.Invariant($"{Environment.ProcessorCount} cores, ONNX Runtime CPU, 2 intra-op threads, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        Console.WriteLine();
        Console.WriteLine("| what | Grounded | raw ONNX Runtime (same process) | ratio | peak RSS |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var results = new Dictionary<string, TableRow>();
        foreach (string row in rows)
        {
            var result = row == "cold" ? await ColdStart.RunAsync() : await InChildAsync(row);
            results[row] = result;
            Console.WriteLine(result.ToMarkdown());
        }

        await Peers.PrintAsync(results);
    }

    /// <summary>Runs one row in a fresh process of this program and reads its JSON line.</summary>
    private static async Task<TableRow> InChildAsync(string row)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(SideBySide).Assembly.Location);
        info.ArgumentList.Add("table-row");
        info.ArgumentList.Add(row);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{')) ?? string.Empty;
        if (process.ExitCode != 0 || line.Length == 0)
        {
            return new TableRow(row, double.NaN, double.NaN, 0, $"failed: {(await stderr).Split('\n').FirstOrDefault()}");
        }

        return JsonSerializer.Deserialize<TableRow>(line)!;
    }

    /// <summary>The child's side: runs one row and prints its JSON line.</summary>
    public static async Task RunRowAsync(string row)
    {
        TableRow result = row switch
        {
            "encode" => ModelRows.Encode(),
            "decode" => await ModelRows.DecodeAsync(),
            "boxes" => await ModelRows.BoxesAsync(),
            "detect" => await ModelRows.DetectAsync(),
            "click" => await ModelRows.ClickAsync(),
            "everything" => await EverythingRows.MobileSamAsync(),
            "everything-fixture" => await EverythingRows.FixtureAsync(),
            "raw-cold" => ColdStart.RawProcess(),
            _ => throw new ArgumentException($"Unknown row '{row}'; rows: {string.Join(", ", AllRows)}."),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
    }

    /// <summary>The median of <paramref name="runs"/> timed calls after <paramref name="warmUp"/> untimed ones, in ms.</summary>
    public static double Median(int warmUp, int runs, Action call)
    {
        for (int i = 0; i < warmUp; i++)
        {
            call();
        }

        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[runs / 2];
    }

    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms >= 10_000 ? (ms / 1000).ToString("0.0 's'", CultureInfo.InvariantCulture) : ms.ToString("0 'ms'", CultureInfo.InvariantCulture);
}

/// <summary>One line of the table: Grounded's figure, the raw floor beside it, the process's peak memory.</summary>
internal sealed record TableRow(string What, double GroundedMs, double RawMs, long PeakMb, string Note)
{
    public string ToMarkdown()
    {
        string ratio = double.IsNaN(GroundedMs) || double.IsNaN(RawMs) || RawMs == 0 ? "–" : (GroundedMs / RawMs).ToString("0.00", CultureInfo.InvariantCulture);
        string peak = PeakMb > 0 ? $"{PeakMb} MB" : "–";
        return $"| {What} | {SideBySide.Ms(GroundedMs)} | {SideBySide.Ms(RawMs)}{(Note.Length > 0 ? $" ({Note})" : string.Empty)} | {ratio} | {peak} |";
    }
}
