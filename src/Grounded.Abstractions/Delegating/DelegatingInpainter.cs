using Grounded.Imaging;
using Grounded.Masks;

namespace Grounded.Inpaint;

/// <summary>
/// An inpainter that forwards every call to an inner one: derive from it to add timing, logging or tracing around
/// any inpainter. Disposing it disposes the inner inpainter.
/// </summary>
public class DelegatingInpainter : IInpainter
{
    /// <summary>Wraps <paramref name="innerInpainter"/>.</summary>
    protected DelegatingInpainter(IInpainter innerInpainter)
    {
        ArgumentNullException.ThrowIfNull(innerInpainter);
        InnerInpainter = innerInpainter;
    }

    /// <summary>The inpainter calls are forwarded to.</summary>
    protected IInpainter InnerInpainter { get; }

    /// <inheritdoc />
    public virtual Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default) =>
        InnerInpainter.InpaintAsync(image, mask, options, progress, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner inpainter.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerInpainter.Dispose();
        }
    }
}
