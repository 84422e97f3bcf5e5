using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Masks;

namespace Grounded.Pipeline;

/// <summary>Edits what the objects' masks cover: remove them, or paint something else there.</summary>
/// <param name="inpainter">The inpainter (stays the caller's).</param>
/// <param name="options">Mask operations and what to paint.</param>
/// <param name="progress">Receives (step, total) while a generative inpainter denoises.</param>
public sealed class InpaintStep(IInpainter inpainter, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null) : IPipelineStep
{
    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Best first: "first" edits the best object, "each" edits in order of score.
        var masks = context.Objects.Where(o => o.Mask is not null).OrderByDescending(o => o.Score).Select(o => o.Mask!).ToList();
        RgbImage image = context.Image;
        if (masks.Count == 0)
        {
            context.Warnings.Add("Nothing matched the prompt, so nothing was edited.");
        }

        foreach (var mask in MaskOps.Combine(masks, options.Combine))
        {
            var alpha = MaskOps.Feather(MaskOps.DilateSquare(mask, options.Dilate), options.Feather);
            image = await inpainter.InpaintAsync(image, alpha, options, progress, cancellationToken).ConfigureAwait(false);
        }

        context.Inpainted = masks.Count == 0 ? new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone()) : image;
        if (masks.Count > 0 && ChangedNothing(context))
        {
            // An unchanged picture must not pass for an edit (the classical fill has nothing to draw from when the
            // grown masks cover the whole image).
            context.Warnings.Add($"The edit changed no pixel: the masks, grown by {options.Dilate} px, may cover the whole image and leave the fill nothing to draw from. Lower --dilate, edit fewer objects, or use --inpainter lama.");
        }
    }

    /// <summary>True when the edited picture is the original, pixel for pixel.</summary>
    public static bool ChangedNothing(PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Inpainted is { } edited && edited.Pixels.AsSpan().SequenceEqual(context.Image.Pixels);
    }
}
