using System.CommandLine;
using Grounded.Pipeline;
using Grounded.Pipeline.Batch;
using Grounded.Segmenter;
using Grounded.Segmenter.Automatic;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded everything INPUT</c>: every object, no prompt (SAM's automatic mask generator).</summary>
internal static class EverythingCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var input = new Argument<string>("input") { Description = "An image, a folder of images, or a glob." };
        var segmenterOption = new Option<string?>("--segmenter") { Description = "SAM: a model folder (either ONNX layout), or a set name." };
        var pointsPerSide = new Option<int>("--points-per-side") { Description = "Grid points per side (default 32).", DefaultValueFactory = _ => 32 };
        var pointsPerBatch = new Option<int>("--points-per-batch") { Description = "Points per decoder batch (default 64).", DefaultValueFactory = _ => 64 };
        var predIou = new Option<float>("--pred-iou-thresh") { Description = "Keep masks whose predicted IoU is above this (default 0.88).", DefaultValueFactory = _ => 0.88f };
        var stability = new Option<float>("--stability-thresh") { Description = "Keep masks whose stability score is at least this (default 0.95).", DefaultValueFactory = _ => 0.95f };
        var stabilityOffset = new Option<float>("--stability-offset") { Description = "Logit offset of the stability score (default 1.0).", DefaultValueFactory = _ => 1.0f };
        var boxNms = new Option<float>("--box-nms") { Description = "Box IoU for NMS within a crop (default 0.7; 1.0 keeps all).", DefaultValueFactory = _ => 0.7f };
        var cropLayers = new Option<int>("--crop-layers") { Description = "Extra crop layers (default 0).", DefaultValueFactory = _ => 0 };
        var cropNms = new Option<float>("--crop-nms") { Description = "Box IoU for NMS between crops (default 0.7).", DefaultValueFactory = _ => 0.7f };
        var minRegion = new Option<int>("--min-region-area") { Description = "Fill holes and drop islands smaller than this many pixels (default 0: off).", DefaultValueFactory = _ => 0 };
        var command = new Command("everything", "Segment everything: every object in the image, no prompt needed.")
        {
            input, segmenterOption, pointsPerSide, pointsPerBatch, predIou, stability, stabilityOffset, boxNms, cropLayers, cropNms, minRegion,
        };
        foreach (var option in new Option[] { common.Out, common.Format, common.Config, common.Device, common.Threads, common.Parallel, common.Timings, common.Json, common.NoDownload, common.ModelsDir, common.Verbose })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            bool verbose = parse.GetValue(common.Verbose);
            try
            {
                var settings = RunSettings.From(parse, common, multimaskFlag: false, parse.GetValue(segmenterOption), error);
                var options = new AutomaticMaskOptions
                {
                    PointsPerSide = Positive(parse.GetValue(pointsPerSide), "--points-per-side"),
                    PointsPerBatch = Positive(parse.GetValue(pointsPerBatch), "--points-per-batch"),
                    PredIouThresh = parse.GetValue(predIou),
                    StabilityScoreThresh = parse.GetValue(stability),
                    StabilityScoreOffset = parse.GetValue(stabilityOffset),
                    BoxNmsThresh = parse.GetValue(boxNms),
                    CropNLayers = Math.Max(0, parse.GetValue(cropLayers)),
                    CropNmsThresh = parse.GetValue(cropNms),
                    MinMaskRegionArea = Math.Max(0, parse.GetValue(minRegion)),
                    MaskThreshold = settings.MaskThreshold,
                };
                var images = InputExpander.Expand(parse.GetValue(input)!);
                var (folder, _) = await ModelResolver.Create(settings.AllowDownload, settings.ModelsDir, error).ResolveAsync(settings.SegmenterModel, "segmenter", cancellationToken).ConfigureAwait(false);
                using var segmenter = SamSegmenter.Create(folder, new SegmenterOptions { Runtime = settings.Runtime, MaskThreshold = settings.MaskThreshold });
                var pipeline = GroundedPipeline.Builder().Add(new SegmentEverythingStep(new AutomaticMaskGenerator(segmenter, options))).Build();
                return await PipelineRun.RunBatchAsync(pipeline, images, settings, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CliErrors.Report(ex, error, verbose);
            }
        });
        return command;
    }

    private static int Positive(int value, string name) => value > 0 ? value : throw new InvalidRequestException($"{name} must be at least 1.");
}
