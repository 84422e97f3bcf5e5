using Grounded.Imaging;
using Grounded.Masks;

namespace Grounded.Inpaint;

/// <summary>
/// Edits what a mask covers. Implementations change no pixel where the alpha mask is 0. Asynchronous because an
/// edit takes seconds to minutes (with progress and cancellation); synchronous runtimes run on the thread pool.
/// </summary>
public interface IInpainter : IDisposable
{
    /// <summary>Fills (or regenerates) the masked region.</summary>
    /// <param name="image">The image.</param>
    /// <param name="mask">Where to edit, 0..1 per pixel (a feathered mask blends at its edge), row-major.</param>
    /// <param name="options">Prompt, steps, seed… (inpainters that take none ignore them).</param>
    /// <param name="progress">Receives (step, total) while a generative inpainter denoises.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default);
}
