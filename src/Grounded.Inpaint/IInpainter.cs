using Grounded.Imaging;

namespace Grounded.Inpaint;

/// <summary>Edits what a mask covers. Implementations change no pixel where the alpha mask is 0.</summary>
public interface IInpainter : IDisposable
{
    /// <summary>Fills (or regenerates) the masked region.</summary>
    /// <param name="image">The image.</param>
    /// <param name="mask">Where to edit, 0..1 per pixel (a feathered mask blends at its edge), row-major.</param>
    /// <param name="request">Prompt, steps, seed… (ignored by inpainters that take none).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintRequest request, CancellationToken cancellationToken = default);
}
