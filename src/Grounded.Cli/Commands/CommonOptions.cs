using System.CommandLine;

namespace Grounded.Cli.Commands;

/// <summary>The options shared by segment and detect (and later recipes).</summary>
internal sealed class CommonOptions
{
    public Option<float?> BoxThreshold { get; } = new("--box-threshold") { Description = "Keep boxes whose best token probability is above this (default 0.3)." };

    public Option<float?> TextThreshold { get; } = new("--text-threshold") { Description = "Tokens above this form the phrase (default 0.25)." };

    public Option<string?> Nms { get; } = new("--nms") { Description = "Non-maximum suppression: none, class or agnostic (default none)." };

    public Option<float?> NmsIou { get; } = new("--nms-iou") { Description = "IoU above which NMS drops the weaker box (default 0.5)." };

    public Option<string?> CaptionMode { get; } = new("--caption-mode") { Description = "gsa (lower-case, end with '.', as Grounded-SAM) or raw (as given, as Hugging Face)." };

    public Option<string?> Out { get; } = new("--out", "-o") { Description = "Output folder; each image gets DIR/<name>/ (default grounded-out, or none with --json)." };

    public Option<string?> Format { get; } = new("--format") { Description = "Outputs: overlay,masks,cutouts,json,coco,yolo,gsa or all (default overlay,masks,cutouts,json,gsa)." };

    public Option<string?> Config { get; } = new("--config") { Description = "A YAML or JSON settings file; flags override it." };

    public Option<string?> Device { get; } = new("--device") { Description = "auto, cpu, cuda or cuda:N (default auto: CUDA when it loads, else CPU)." };

    public Option<int?> Threads { get; } = new("--threads") { Description = "ONNX Runtime threads per model (default: one per core; in folder runs the cores are divided among the images in flight)." };

    public Option<bool> Timings { get; } = new("--timings") { Description = "Print per-stage timings to stderr." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document per image on stdout (JSON Lines for several)." };

    public Option<string?> Detector { get; } = new("--detector") { Description = "Grounding DINO: a model folder, or a set name from 'grounded models list'." };

    public Option<bool> NoDownload { get; } = new("--no-download") { Description = "Never download models; fail with instructions instead (also GROUNDED_OFFLINE=1)." };

    public Option<string?> GraphOptimization { get; } = new("--graph-opt") { Description = "ONNX Runtime graph optimisation: all (default), extended, basic or disabled." };

    public Option<int?> Parallel { get; } = new("--parallel") { Description = "Images in flight at once in folder runs (default 2)." };

    public Option<string?> ModelsDir { get; } = new("--models-dir") { Description = "Where model sets are cached (default GROUNDED_MODELS_DIR, else a per-user cache)." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Full error details and stack traces." };

    public Option<string?> Resume { get; } = new("--resume") { Description = "auto (default: keep an image's folder only when this same run made it from the same input bytes) or never." };

    public Option<bool> Recursive { get; } = new("--recursive", "-r") { Description = "With a folder input, its sub-folders' images too (linked folders are not followed)." };

    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Redo every image (same as --resume never)." };

    public Option<string?> Shard { get; } = new("--shard") { Description = "Run one shard I/N (I from 0) of the input: the images whose key hashes to I. Shards may share one --out." };

    public Option<bool> ShardFromEnv { get; } = new("--shard-from-env") { Description = "Take the shard from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) and GROUNDED_SHARD_COUNT; automatic when both are set." };

    /// <summary>The options every folder-running command has.</summary>
    public IEnumerable<Option> RunOptions => [Out, Format, Config, Device, Threads, Parallel, Timings, Json, NoDownload, ModelsDir, Verbose, Resume, Overwrite, Recursive, Shard, ShardFromEnv];

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { BoxThreshold, TextThreshold, Nms, NmsIou, CaptionMode, Detector, GraphOptimization }.Concat(RunOptions))
        {
            command.Add(option);
        }
    }
}
