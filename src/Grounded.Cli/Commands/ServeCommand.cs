using System.CommandLine;
using System.Diagnostics;
using Grounded.Studio;
using Microsoft.Extensions.Hosting;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded serve</c>: Grounded Studio, the interactive page and its JSON API, on the models the CLI uses.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var host = new Option<string>("--host") { Description = "Address to listen on (default 127.0.0.1; any other needs --token).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (default 7860; 0 picks a free one).", DefaultValueFactory = _ => 7860 };
        var token = new Option<string?>("--token") { Description = "A secret (16+ characters) every request must carry: required off loopback. Also GROUNDED_STUDIO_TOKEN." };
        var allowRead = new Option<string[]>("--allow-read") { Description = "A folder whose images the page may open by name. Repeatable; nothing else is readable." };
        var outputFolder = new Option<string?>("--output") { Description = "Scratch folder for the server's own files (default: a private temporary folder). Uploads and results stay in memory." };
        var segmenter = new Option<string?>("--segmenter") { Description = "SAM: a model folder or a set name." };
        var lama = new Option<string?>("--inpaint-model") { Description = "LaMa for Edit's removal: a set name, folder or .onnx (default: the lama set)." };
        var sd = new Option<string?>("--sd-model") { Description = "Stable Diffusion inpainting for Edit's replacement: a set name or folder (default: sd-inpainting)." };
        var open = new Option<bool>("--open") { Description = "Open the page in the default browser." };
        var maxUploadMb = new Option<int?>("--max-upload-mb") { Description = "Largest upload in MB (default 64)." };
        var maxPixels = new Option<long?>("--max-pixels") { Description = "Largest image in pixels (default 100000000, as the other commands)." };
        var maxJobs = new Option<int?>("--max-jobs") { Description = "Model runs at once (default 2); more are answered 429 with Retry-After." };
        var command = new Command("serve", "Grounded Studio: prompt, click, box, segment everything and edit in the browser (and a JSON API).")
        {
            host, port, token, allowRead, outputFolder, segmenter, lama, sd, open, maxUploadMb, maxPixels, maxJobs,
        };
        foreach (var option in new Option[] { common.BoxThreshold, common.TextThreshold, common.Nms, common.NmsIou, common.CaptionMode, common.Detector, common.GraphOptimization, common.Config, common.Device, common.Threads, common.NoDownload, common.ModelsDir, common.Verbose })
        {
            command.Add(option);
        }

        CliAction.Set(command, error, common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = CliSettings.From(parse, common, error, parse.GetValue(segmenter));
            var settings = cli.Settings;

            var resolver = ModelResolver.Create(cli.AllowDownload, cli.ModelsDir, error);
            var options = new StudioOptions
            {
                Host = parse.GetValue(host) ?? "127.0.0.1",
                Port = parse.GetValue(port),
                Token = parse.GetValue(token) ?? (Environment.GetEnvironmentVariable("GROUNDED_STUDIO_TOKEN") is { Length: > 0 } t ? t : null),
                AllowRead = parse.GetValue(allowRead) ?? [],
                OutputFolder = parse.GetValue(outputFolder),
                Settings = settings,
                LamaModel = parse.GetValue(lama),
                StableDiffusionModel = parse.GetValue(sd),
                Resolve = resolver.ResolveAsync,
                MaxUploadBytes = (FlagRange.Check(parse.GetValue(maxUploadMb), "--max-upload-mb", 1, 4096) ?? 64) * 1048576L,
                MaxPixels = FlagRange.MaxPixels(parse.GetValue(maxPixels)) ?? Imaging.ImageLoadOptions.Default.MaxPixels,
                MaxHeavyJobs = FlagRange.Check(parse.GetValue(maxJobs), "--max-jobs", 1, 64) ?? 2,
            };
            // Flags are checked before any model is fetched: a wrong port must not cost a download first.
            options.Validate();
            await resolver.EnsureAllAsync([(settings.Models.Detector, "detector"), (settings.Models.Segmenter, "segmenter")], cancellationToken).ConfigureAwait(false);
            using var server = StudioServer.CreateHostBuilder(options).Build();
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new InvalidRequestException($"Cannot listen on {options.Host}:{options.Port}: {ex.Message.Split('\n')[0]} (another program may hold the port; try --port).", ex);
            }

            string url = StudioServer.Addresses(server).FirstOrDefault() ?? $"http://{options.Host}:{options.Port}";
            string shown = options.Token is null ? url + "/" : $"{url}/?token={Uri.EscapeDataString(options.Token)}";
            output.WriteLine($"Grounded Studio: {shown}");
            output.WriteLine($"API: {url}/docs (OpenAPI {url}/openapi/v1.json). Ctrl-C stops.");
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            _ = StudioServer.WarmUpAsync(server);
            if (parse.GetValue(open))
            {
                OpenBrowser(shown, error);
            }

            try
            {
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            error.WriteLine("grounded serve: stopped.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void OpenBrowser(string url, TextWriter error)
    {
        string opener = OperatingSystem.IsMacOS() ? "open" : OperatingSystem.IsWindows() ? "explorer" : "xdg-open";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(opener, url) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            error.WriteLine($"note: could not open a browser ({opener}); open {url} yourself.");
        }
    }
}
