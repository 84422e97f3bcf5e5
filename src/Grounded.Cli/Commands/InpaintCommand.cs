using System.CommandLine;
using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Masks;
using Grounded.Recipes;
using Grounded.Settings;

namespace Grounded.Cli.Commands;

/// <summary>
/// <c>grounded inpaint IMAGE --mask MASK.png</c>: fill what a mask from anywhere covers (another tool, a painted
/// PNG). With the classical fill and no dilation or feathering this is cv2.inpaint(image, mask, radius, INPAINT_TELEA).
/// </summary>
internal static class InpaintCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var common = new CommonOptions();
        var input = new Argument<string>("image") { Description = "The image to edit." };
        var maskOption = new Option<string>("--mask") { Description = "A PNG (or any image) of the image's size; non-zero pixels are the hole.", Required = true };
        var inpainter = new Option<string?>("--inpainter") { Description = "classical (default), lama or sd." };
        var inpaintModel = new Option<string?>("--inpaint-model") { Description = "The LaMa or Stable Diffusion model: a set name, a folder or a .onnx file." };
        var radius = new Option<int?>("--radius") { Description = "The classical fill's neighbourhood radius in pixels (default 5)." };
        var dilate = new Option<int?>("--dilate") { Description = "Grow the mask first with a KxK square kernel, as cv2.dilate (default 0: as given)." };
        var feather = new Option<int?>("--feather") { Description = "Blend over this many pixels outside the mask (default 0: a hard edge)." };
        var with = new Option<string?>("--with") { Description = "What to paint instead (sd)." };
        var command = new Command("inpaint", "Fill what a mask covers: writes <out>/<image name>/inpainted.png.") { input, maskOption, inpainter, inpaintModel, radius, dilate, feather, with };
        foreach (var option in new Option[] { common.Out, common.Config, common.Device, common.Threads, common.NoDownload, common.ModelsDir, common.Verbose })
        {
            command.Add(option);
        }

        CliAction.Set(command, error, common.Verbose, async (parse, cancellationToken) =>
        {
            var cli = CliSettings.From(parse, common, error);
            var s = cli.Settings;
            var options = s.Inpaint with
            {
                Inpainter = parse.GetValue(inpainter) is { } kind ? SettingNames.Parse<InpainterKind>(kind, "inpainter") : s.Inpaint.Inpainter ?? InpainterKind.Classical,
                Radius = parse.GetValue(radius) ?? s.Inpaint.Radius,
                Dilate = parse.GetValue(dilate) ?? 0,
                Feather = parse.GetValue(feather) ?? 0,
                Prompt = parse.GetValue(with) ?? s.Inpaint.Prompt,
            };
            string imagePath = parse.GetValue(input)!;
            OutputFolderCheck.Check(s.Output.Directory);
            var image = ImageLoader.Load(imagePath);
            var hole = LoadMask(parse.GetValue(maskOption)!, image.Width, image.Height);
            var kindValue = options.Inpainter!.Value;
            string? model = null;
            if (kindValue != InpainterKind.Classical)
            {
                var resolver = ModelResolver.Create(cli.AllowDownload, cli.ModelsDir, error);
                (model, _) = await resolver.ResolveAsync(parse.GetValue(inpaintModel) ?? s.Models.Inpainter ?? InpainterFactory.DefaultSet(kindValue), "inpainter", cancellationToken).ConfigureAwait(false);
            }

            using var stage = InpainterFactory.Create(kindValue, model, s.Runtime);
            var alpha = MaskOps.Feather(MaskOps.DilateSquare(hole, options.Dilate), options.Feather);
            var bar = ConsoleProgress.For(error);
            var result = await stage.InpaintAsync(image, alpha, options, new Progress<(int Step, int Total)>(p => bar.Report("denoise", (double)p.Step / p.Total, $"step {p.Step}/{p.Total}")), cancellationToken).ConfigureAwait(false);
            string folder = Path.Combine(s.Output.Directory ?? "grounded-out", Path.GetFileNameWithoutExtension(imagePath));
            string path = Path.Combine(folder, "inpainted.png");
            Outputs.ResultImages.Save(result, path);
            output.WriteLine($"{imagePath}: {hole.Area()} pixels filled ({SettingNames.NameOf(kindValue)}) -> {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static BinaryMask LoadMask(string path, int width, int height)
    {
        // Any image will do: its first channel after EXIF orientation, non-zero is the hole.
        var rgb = ImageLoader.Load(path);
        if (rgb.Width != width || rgb.Height != height)
        {
            throw new InvalidRequestException($"The mask '{path}' is {rgb.Width}x{rgb.Height}; the image is {width}x{height}.");
        }

        var mask = new BinaryMask(width, height);
        for (int i = 0; i < width * height; i++)
        {
            mask.Set(i, rgb.Pixels[i * 3] != 0 || rgb.Pixels[(i * 3) + 1] != 0 || rgb.Pixels[(i * 3) + 2] != 0);
        }

        return mask;
    }
}
