using Grounded.Agents;
using System.CommandLine;
using Grounded.Onnx;
using Grounded.SemanticKernel;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded mcp</c>: serve detect_objects, segment_objects and cut_out to desktop agents over stdio.</summary>
internal static class McpCommand
{
    public static Command Create(TextWriter error)
    {
        var allowRead = new Option<string[]>("--allow-read") { Description = "A folder whose images agents may read. Repeatable; nothing else is readable.", Required = true };
        var output = new Option<string>("--output") { Description = "The one folder agents' outputs are written to (under generated names).", Required = true };
        var detector = new Option<string?>("--detector") { Description = "Grounding DINO: a model folder or a set name." };
        var segmenter = new Option<string?>("--segmenter") { Description = "SAM: a model folder or a set name." };
        var device = new Option<string?>("--device") { Description = "auto, cpu, cuda or cuda:N." };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime threads per model." };
        var modelsDir = new Option<string?>("--models-dir") { Description = "Where model sets are cached." };
        var allowDownloads = new Option<bool>("--allow-downloads") { Description = "Let a tool call download a missing model set into the model cache (off: tools whose models are missing are not listed)." };
        var noDownload = new Option<bool>("--no-download") { Description = "Never download models (the default; kept for older configurations)." };
        var maxCalls = new Option<int?>("--max-calls") { Description = "Tool calls that run at once (default 2); more wait, then are answered busy." };
        var maxPixels = new Option<long?>("--max-pixels") { Description = "Largest input image in pixels (default 40000000)." };
        var maxOutputMb = new Option<int?>("--max-output-mb") { Description = "Most megabytes all outputs may hold; the oldest are removed past it (default 1024)." };
        var maxCallMb = new Option<int?>("--max-call-mb") { Description = "Most megabytes one call may write (default 64)." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds one call may take, loading included (default 120)." };
        var lama = new Option<string?>("--inpaint-model") { Description = "LaMa for remove_objects: a set name, folder or .onnx (default: lama when installed, else the classical fill)." };
        var sd = new Option<string?>("--sd-model") { Description = "Stable Diffusion inpainting for replace_objects: a set name or folder (default sd-inpainting)." };
        var command = new Command("mcp", "Serve Grounded's tools (detect, segment, cut out, remove, replace) to agents over the Model Context Protocol (stdio).")
        {
            allowRead, output, detector, segmenter, device, threads, modelsDir, allowDownloads, noDownload, lama, sd, maxCalls, maxPixels, maxOutputMb, maxCallMb, timeout,
        };
        CliAction.Set(command, error, null, async (parse, cancellationToken) =>
        {
            var options = new GroundedAgentOptions
            {
                OutputFolder = parse.GetValue(output),
                Detector = parse.GetValue(detector),
                Segmenter = parse.GetValue(segmenter),
                ModelsFolder = parse.GetValue(modelsDir),
                AllowDownload = parse.GetValue(allowDownloads) && !parse.GetValue(noDownload),
                LamaModel = parse.GetValue(lama),
                StableDiffusionModel = parse.GetValue(sd),
                Runtime = new RuntimeOptions
                {
                    Device = parse.GetValue(device) is { } d ? ExecutionDevice.Parse(d) : ExecutionDevice.Auto,
                    IntraOpThreads = parse.GetValue(threads) ?? 0,
                    Logger = new NoteLogger(error),
                },
            };
            options.MaxConcurrentCalls = FlagRange.Check(parse.GetValue(maxCalls), "--max-calls", 1, 64) ?? options.MaxConcurrentCalls;
            options.MaxPixels = FlagRange.MaxPixels(parse.GetValue(maxPixels)) ?? options.MaxPixels;
            options.MaxOutputBytes = (FlagRange.Check(parse.GetValue(maxOutputMb), "--max-output-mb", 1, 1_000_000) ?? options.MaxOutputBytes / 1048576) * 1048576L;
            options.MaxOutputBytesPerCall = (FlagRange.Check(parse.GetValue(maxCallMb), "--max-call-mb", 1, 100_000) ?? options.MaxOutputBytesPerCall / 1048576) * 1048576L;
            options.MaxCallDuration = TimeSpan.FromSeconds(FlagRange.Check(parse.GetValue(timeout), "--timeout", 1, 86_400) ?? options.MaxCallDuration.TotalSeconds);
            foreach (string folder in parse.GetValue(allowRead) ?? [])
            {
                options.AllowedReadFolders.Add(folder);
            }

            using var service = new GroundedAgentService(options);
            error.WriteLine($"grounded mcp: reading from {string.Join(", ", options.AllowedReadFolders)}; writing to {service.Sandbox.OutputRoot}");
            await GroundedMcpServer.RunStdioAsync(service, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
