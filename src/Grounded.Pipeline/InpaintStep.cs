using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Inpaint.Masking;

namespace Grounded.Pipeline;

/// <summary>Edits what the objects' masks cover: remove them, or paint something else there.</summary>
public sealed class InpaintStep(IInpainter inpainter, InpaintStepOptions options) : IPipelineStep
{
    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var masks = context.Objects.Select(o => o.Mask).OfType<Masks.BinaryMask>().ToList();
        RgbImage image = context.Image;
        if (masks.Count == 0)
        {
            context.Warnings.Add("Nothing matched the prompt, so nothing was edited.");
        }

        foreach (var mask in MaskOps.Combine(masks, options.Combine))
        {
            var alpha = MaskOps.Feather(MaskOps.Dilate(mask, options.Dilate), options.Feather);
            var current = image;
            image = await context.Timer.TimeAsync("inpaint", () => inpainter.InpaintAsync(current, alpha, options.Request, cancellationToken)).ConfigureAwait(false);
        }

        context.Inpainted = masks.Count == 0 ? new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone()) : image;
    }
}
