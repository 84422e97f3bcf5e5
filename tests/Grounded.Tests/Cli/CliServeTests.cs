using System.Diagnostics;
using System.Text.Json;
using Grounded.Tests.Support;

namespace Grounded.Tests.Cli;

/// <summary>`grounded serve` as a user runs it: the URL printed, the page and API answering, Ctrl-C (SIGINT) a clean stop.</summary>
public class CliServeTests
{
    [Fact]
    public async Task Serve_prints_its_url_answers_and_stops_cleanly_on_sigint()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { CliProcess.Dll, "serve", "--port", "0", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--device", "cpu", "--no-download" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null || !line.StartsWith("Grounded Studio: http://127.0.0.1:", StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{line}\n{await stderr}");
            }

            string url = line!["Grounded Studio: ".Length..].TrimEnd('/');
            using var http = new HttpClient();
            Assert.Contains("Grounded Studio", await http.GetStringAsync(url + "/"), StringComparison.Ordinal);
            using var form = Studio.StudioApiTests.Form(Fixtures.Path("images", "cat.png"), ("prompt", "a cat"));
            var answer = await http.PostAsync(url + "/api/segment", form);
            Assert.Equal("cat.png", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("image").GetString());

            await Processes.RunAsync("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
            string err = await stderr;
            Assert.Contains("stopped", err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Serve_refuses_a_public_address_without_a_token_and_a_taken_port()
    {
        var (code, _, err) = await CliProcess.RunAsync("serve", "--host", "0.0.0.0", "--port", "0", "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--no-download");
        Assert.Equal(2, code);
        Assert.Contains("--token", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        // Flags are checked before any model is looked for (no models dir here: a download would be the error otherwise).
        foreach (var (flags, says) in new[] { (new[] { "--port", "99999" }, "--port"), (["--host", "example.com", "--token", "0123456789abcdefgh"], "--host"), (["--allow-read", "/nonexistent-folder"], "--allow-read") })
        {
            (code, _, err) = await CliProcess.RunAsync(["serve", .. flags, "--no-download", "--models-dir", Path.Combine(Path.GetTempPath(), "grounded-no-models")]);
            Assert.Equal(2, code);
            Assert.Contains(says, err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));
        }

        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        (code, _, err) = await CliProcess.RunAsync("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--detector", Fixtures.Path("gdino"), "--segmenter", Fixtures.Path("sam"), "--no-download");
        Assert.NotEqual(0, code);
        Assert.Contains("--port", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
