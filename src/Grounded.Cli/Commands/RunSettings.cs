using System.CommandLine;
using Grounded.Detector;
using Grounded.Onnx;
using Grounded.Pipeline.Config;
using Grounded.Pipeline.Output;

namespace Grounded.Cli.Commands;

/// <summary>The settings of one run: defaults, then the config file, then flags.</summary>
internal sealed record RunSettings
{
    public string? DetectorModel { get; init; }

    public string? SegmenterModel { get; init; }

    public OnnxRuntimeOptions Runtime { get; init; } = OnnxRuntimeOptions.Default;

    public float BoxThreshold { get; init; } = 0.3f;

    public float TextThreshold { get; init; } = 0.25f;

    public CaptionMode CaptionMode { get; init; } = CaptionMode.Gsa;

    public NmsMode Nms { get; init; } = NmsMode.None;

    public float NmsIou { get; init; } = 0.5f;

    public bool Multimask { get; init; }

    public float MaskThreshold { get; init; }

    public OutputFormats Formats { get; init; } = OutputFormats.Default;

    public string? OutputFolder { get; init; }

    public int Parallelism { get; init; } = 2;

    public bool Json { get; init; }

    public bool Timings { get; init; }

    public bool AllowDownload { get; init; } = true;

    public bool Verbose { get; init; }

    public string? ModelsDir { get; init; }

    public static RunSettings From(ParseResult parse, CommonOptions o, bool multimaskFlag, string? segmenterFlag, TextWriter error)
    {
        var config = parse.GetValue(o.Config) is { } path ? ConfigLoader.Load(path) : new GroundedConfig();
        bool json = parse.GetValue(o.Json);
        string? device = parse.GetValue(o.Device) ?? config.Device;
        int threads = parse.GetValue(o.Threads) ?? config.Threads ?? 0;
        if (threads < 0)
        {
            throw new InvalidRequestException("--threads must be 0 (automatic) or more.");
        }

        string? outFolder = parse.GetValue(o.Out) ?? config.Output.Dir ?? (json ? null : "grounded-out");
        var settings = new RunSettings
        {
            DetectorModel = parse.GetValue(o.Detector) ?? config.Models.Detector,
            SegmenterModel = segmenterFlag ?? config.Models.Segmenter,
            Runtime = new OnnxRuntimeOptions
            {
                Device = device is null ? ExecutionDevice.Auto : ExecutionDevice.Parse(device),
                IntraOpThreads = threads,
                InterOpThreads = Math.Max(0, config.InterOpThreads ?? 0),
                OptimizationLevel = ParseOptimization(parse.GetValue(o.GraphOptimization) ?? config.GraphOptimization),
                Log = line => error.WriteLine($"note: {line}"),
            },
            BoxThreshold = Probability(parse.GetValue(o.BoxThreshold) ?? config.Detect.BoxThreshold ?? 0.3f, "--box-threshold"),
            TextThreshold = Probability(parse.GetValue(o.TextThreshold) ?? config.Detect.TextThreshold ?? 0.25f, "--text-threshold"),
            CaptionMode = ParseCaptionMode(parse.GetValue(o.CaptionMode) ?? config.Detect.CaptionMode),
            Nms = ParseNms(parse.GetValue(o.Nms) ?? config.Detect.Nms),
            NmsIou = Probability(parse.GetValue(o.NmsIou) ?? config.Detect.NmsIou ?? 0.5f, "--nms-iou"),
            Multimask = multimaskFlag || (config.Segment.Multimask ?? false),
            MaskThreshold = config.Segment.MaskThreshold ?? 0f,
            Formats = OutputFormatsParser.Parse(parse.GetValue(o.Format) ?? config.Output.Formats ?? "overlay,masks,cutouts,json,gsa"),
            OutputFolder = outFolder,
            Parallelism = Math.Max(1, parse.GetValue(o.Parallel) ?? config.Output.Parallelism ?? 2),
            Json = json,
            Timings = parse.GetValue(o.Timings),
            AllowDownload = !parse.GetValue(o.NoDownload) && Environment.GetEnvironmentVariable("GROUNDED_OFFLINE") is not ("1" or "true"),
            Verbose = parse.GetValue(o.Verbose),
            ModelsDir = parse.GetValue(o.ModelsDir),
        };
        return settings;
    }

    private static Microsoft.ML.OnnxRuntime.GraphOptimizationLevel ParseOptimization(string? text) => text?.ToLowerInvariant() switch
    {
        null or "all" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
        "extended" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "basic" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "disabled" or "none" or "off" => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL,
        _ => throw new InvalidRequestException($"--graph-opt is all, extended, basic or disabled; got '{text}'."),
    };

    private static float Probability(float value, string name) =>
        value is >= 0f and <= 1f ? value : throw new InvalidRequestException($"{name} must be between 0 and 1; got {value}.");

    private static CaptionMode ParseCaptionMode(string? text) => text is null ? CaptionMode.Gsa : Pipeline.Recipes.RecipeBuilder.ParseCaptionMode(text);

    private static NmsMode ParseNms(string? text) => text is null ? NmsMode.None : Pipeline.Recipes.RecipeBuilder.ParseNms(text);
}
