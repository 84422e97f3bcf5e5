using System.CommandLine;
using Grounded.Recipes;

namespace Grounded.Cli.Commands;

/// <summary><c>grounded everything INPUT</c>: every object, no prompt (SAM's automatic mask generator).</summary>
internal static class EverythingCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var input = new Argument<string>("input") { Description = "An image, a folder of images, or a glob." };
        var segmenterOption = new Option<string?>("--segmenter") { Description = "SAM: a model folder (either ONNX layout), or a set name." };
        var pointsPerSide = new Option<int?>("--points-per-side") { Description = "Grid points per side (default 32)." };
        var pointsPerBatch = new Option<int?>("--points-per-batch") { Description = "Points per decoder batch (default 64)." };
        var predIou = new Option<float?>("--pred-iou-thresh") { Description = "Keep masks whose predicted IoU is above this (default 0.88)." };
        var stability = new Option<float?>("--stability-thresh") { Description = "Keep masks whose stability score is at least this (default 0.95)." };
        var stabilityOffset = new Option<float?>("--stability-offset") { Description = "Logit offset of the stability score (default 1.0)." };
        var boxNms = new Option<float?>("--box-nms") { Description = "Box IoU for NMS within a crop (default 0.7; 1.0 keeps all)." };
        var cropLayers = new Option<int?>("--crop-layers") { Description = "Extra crop layers (default 0)." };
        var cropNms = new Option<float?>("--crop-nms") { Description = "Box IoU for NMS between crops (default 0.7)." };
        var minRegion = new Option<int?>("--min-region-area") { Description = "Fill holes and drop islands smaller than this many pixels (default 0: off)." };
        var command = new Command("everything", "Segment everything: every object in the image, no prompt needed.")
        {
            input, segmenterOption, pointsPerSide, pointsPerBatch, predIou, stability, stabilityOffset, boxNms, cropLayers, cropNms, minRegion,
        };
        foreach (var option in common.RunOptions)
        {
            command.Add(option);
        }

        CliAction.Set(command, error, common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = CliSettings.From(parse, common, error, parse.GetValue(segmenterOption));
            var s = cli.Settings;
            var options = s.Everything with
            {
                PointsPerSide = parse.GetValue(pointsPerSide) ?? s.Everything.PointsPerSide,
                PointsPerBatch = parse.GetValue(pointsPerBatch) ?? s.Everything.PointsPerBatch,
                PredIouThresh = parse.GetValue(predIou) ?? s.Everything.PredIouThresh,
                StabilityScoreThresh = parse.GetValue(stability) ?? s.Everything.StabilityScoreThresh,
                StabilityScoreOffset = parse.GetValue(stabilityOffset) ?? s.Everything.StabilityScoreOffset,
                BoxNmsThresh = parse.GetValue(boxNms) ?? s.Everything.BoxNmsThresh,
                CropNLayers = parse.GetValue(cropLayers) ?? s.Everything.CropNLayers,
                CropNmsThresh = parse.GetValue(cropNms) ?? s.Everything.CropNmsThresh,
                MinMaskRegionArea = parse.GetValue(minRegion) ?? s.Everything.MinMaskRegionArea,
            };
            var recipe = new Recipe { Settings = s, Steps = [new EverythingRecipeStep(options, s.Segment)] };
            return await RecipeRun.RunAsync(command.Name, recipe, parse.GetValue(input), cli, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
