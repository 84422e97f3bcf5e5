using Grounded.IO;
using Grounded.Imaging;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>
/// Writes one image's outputs into its own folder. results.json goes last, so its presence marks a complete folder
/// (what a resumed run checks).
/// </summary>
public sealed class ImageOutputWriter(OutputFormats formats, bool includeCandidates)
{
    /// <summary>The file whose presence marks a finished image.</summary>
    public const string CompletionMarker = "results.json";

    /// <summary>Writes the selected outputs for <paramref name="result"/> into <paramref name="folder"/>, and inpainted.png when given.</summary>
    public void Write(string folder, RgbImage image, ImageResult result, RgbImage? inpainted = null, RunJson? run = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var objects = result.Objects;
        if (formats.HasFlag(OutputFormats.Overlay))
        {
            ResultImages.SaveOverlay(image, result, Path.Combine(folder, "overlay.png"));
        }

        if (formats.HasFlag(OutputFormats.Masks))
        {
            ResultImages.SaveMasks(result, Path.Combine(folder, "masks"));
        }

        if (formats.HasFlag(OutputFormats.Masks) || formats.HasFlag(OutputFormats.Gsa))
        {
            PngWriter.Index(Path.Combine(folder, "index.png"), [.. objects.Select(o => o.Mask)], image.Width, image.Height);
        }

        if (formats.HasFlag(OutputFormats.Cutouts))
        {
            ResultImages.SaveCutouts(image, result, Path.Combine(folder, "cutouts"));
        }

        if (formats.HasFlag(OutputFormats.Gsa))
        {
            AtomicFile.WriteText(Path.Combine(folder, "mask.json"), GroundedSamMaskJson.ToIndented(objects, image.Width, image.Height));
        }

        if (inpainted is not null)
        {
            PngWriter.Rgb(Path.Combine(folder, "inpainted.png"), inpainted);
        }

        // Always last: the completion marker for resumable folder runs.
        AtomicFile.Write(Path.Combine(folder, CompletionMarker), stream => ResultDocument.WriteIndented(stream, result, includeCandidates, run));
    }
}
