using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Grounded.Benchmarks.Table;

/// <summary>
/// The same fixture workloads in Transformers.js (bench/peers/transformers-js/peer.mjs), beside the table's own
/// Grounded figures, when Node is installed and `npm ci` has been run in that folder.
/// </summary>
internal static class Peers
{
    public static async Task PrintAsync(IReadOnlyDictionary<string, TableRow> grounded)
    {
        if (!grounded.ContainsKey("detect") && !grounded.ContainsKey("click"))
        {
            return;
        }

        string folder = SyntheticImages.Find("bench", "peers", "transformers-js");
        Console.WriteLine();
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            Console.WriteLine($"Transformers.js: not run (install Node, then `npm ci` in {folder}).");
            return;
        }

        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add("peer.mjs");
        info.ArgumentList.Add(ModelRows.Fixtures);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine("Transformers.js: not run (node is not on PATH).");
            return;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"Transformers.js: failed: {(await stderr).Split('\n').FirstOrDefault(l => l.Contains("Error", StringComparison.Ordinal))}");
                return;
            }

            Console.WriteLine("| same fixture model, warm | Grounded | Transformers.js 4.3.2 (Node, onnxruntime-node) | Grounded faster by |");
            Console.WriteLine("| --- | --- | --- | --- |");
            foreach (string line in (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')))
            {
                using var json = JsonDocument.Parse(line);
                string row = json.RootElement.GetProperty("row").GetString()!;
                double peer = json.RootElement.GetProperty("ms").GetDouble();
                if (grounded.TryGetValue(row, out var ours))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ours.What} | {SideBySide.Ms(ours.GroundedMs)} | {SideBySide.Ms(peer)} | {peer / ours.GroundedMs:0.00}× |"));
                }
            }
        }
    }
}
