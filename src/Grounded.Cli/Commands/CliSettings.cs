using System.CommandLine;
using Grounded.Batch;
using Grounded.Batch.Inputs;
using Grounded.Detector;
using Grounded.Outputs;
using Grounded.Recipes;
using Grounded.Settings;

namespace Grounded.Cli.Commands;

/// <summary>
/// A run's settings: the defaults, then the settings file (--config), then flags, all bound onto the one settings
/// schema; plus what only the terminal has (JSON on stdout, timings, downloads, verbosity).
/// </summary>
internal sealed record CliSettings
{
    public GroundedSettings Settings { get; init; } = GroundedSettings.Default;

    public bool Json { get; init; }

    public bool Timings { get; init; }

    public bool AllowDownload { get; init; } = true;

    public bool Verbose { get; init; }

    public string? ModelsDir { get; init; }

    public ResumeMode Resume { get; init; } = ResumeMode.Auto;

    public bool Recursive { get; init; }

    public ShardSpec? Shard { get; init; }

    public static CliSettings From(ParseResult parse, CommonOptions o, TextWriter error, string? segmenterFlag = null, bool multimaskFlag = false)
    {
        var s = parse.GetValue(o.Config) is { } path ? ConfigLoader.Load(path) : GroundedSettings.Default;
        bool json = parse.GetValue(o.Json);
        s = s with
        {
            Models = s.Models with
            {
                Detector = parse.GetValue(o.Detector) ?? s.Models.Detector,
                Segmenter = segmenterFlag ?? s.Models.Segmenter,
            },
            Runtime = s.Runtime with
            {
                Device = parse.GetValue(o.Device) is { } device ? ExecutionDevice.Parse(device) : s.Runtime.Device,
                IntraOpThreads = parse.GetValue(o.Threads) ?? s.Runtime.IntraOpThreads,
                GraphOptimization = Named(parse.GetValue(o.GraphOptimization), "graph_optimization", s.Runtime.GraphOptimization),
                Logger = new NoteLogger(error, parse.GetValue(o.Verbose)),
            },
            Detect = s.Detect with
            {
                BoxThreshold = parse.GetValue(o.BoxThreshold) ?? s.Detect.BoxThreshold,
                TextThreshold = parse.GetValue(o.TextThreshold) ?? s.Detect.TextThreshold,
                CaptionMode = Named(parse.GetValue(o.CaptionMode), "caption_mode", s.Detect.CaptionMode),
                Nms = Named(parse.GetValue(o.Nms), "nms", s.Detect.Nms),
                NmsIou = parse.GetValue(o.NmsIou) ?? s.Detect.NmsIou,
            },
            Segment = s.Segment with { Multimask = multimaskFlag || s.Segment.Multimask },
            Output = s.Output with
            {
                Formats = Named(parse.GetValue(o.Format), "formats", s.Output.Formats),
                Directory = parse.GetValue(o.Out) ?? s.Output.Directory ?? (json ? null : "grounded-out"),
                Parallelism = parse.GetValue(o.Parallel) ?? s.Output.Parallelism,
            },
        };
        return new CliSettings
        {
            Settings = s,
            Json = json,
            Timings = parse.GetValue(o.Timings),
            AllowDownload = !parse.GetValue(o.NoDownload) && Environment.GetEnvironmentVariable("GROUNDED_OFFLINE") is not ("1" or "true"),
            Verbose = parse.GetValue(o.Verbose),
            ModelsDir = parse.GetValue(o.ModelsDir),
            Recursive = parse.GetValue(o.Recursive),
            Shard = ShardOf(parse.GetValue(o.Shard), parse.GetValue(o.ShardFromEnv)),
            Resume = parse.GetValue(o.Overwrite) ? ResumeMode.Never : Named(parse.GetValue(o.Resume), "resume", ResumeMode.Auto),
        };
    }

    /// <summary>--shard I/N; else the environment's (required with --shard-from-env, taken when complete otherwise).</summary>
    private static ShardSpec? ShardOf(string? flag, bool fromEnv)
    {
        if (flag is not null)
        {
            return fromEnv ? throw new InvalidRequestException("Give --shard or --shard-from-env, not both.") : ShardSpec.Parse(flag);
        }

        if (fromEnv)
        {
            return ShardSpec.FromEnvironment() ?? throw new InvalidRequestException($"--shard-from-env needs {ShardSpec.IndexVariable} and {ShardSpec.CountVariable} in the environment.");
        }

        bool complete = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ShardSpec.IndexVariable)) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ShardSpec.CountVariable));
        return complete ? ShardSpec.FromEnvironment() : null;
    }

    /// <summary>A flag's enum value by its setting name, or the current value when the flag is absent.</summary>
    public static T Named<T>(string? flag, string setting, T current)
        where T : struct, Enum => flag is null ? current : SettingNames.Parse<T>(flag, setting);
}
