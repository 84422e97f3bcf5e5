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
        var masks = context.Objects.Select(o => o.Mask).OfType<BinaryMask>().ToList();
        RgbImage image = context.Image;
        if (masks.Count == 0)
        {
            context.Warnings.Add("Nothing matched the prompt, so nothing was edited.");
        }

        foreach (var mask in MaskOps.Combine(masks, options.Combine))
        {
            var alpha = MaskOps.Feather(MaskOps.Dilate(mask, options.Dilate), options.Feather);
            image = await inpainter.InpaintAsync(image, alpha, options, progress, cancellationToken).ConfigureAwait(false);
        }

        context.Inpainted = masks.Count == 0 ? new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone()) : image;
    }
}
