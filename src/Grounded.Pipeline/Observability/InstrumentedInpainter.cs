using Grounded.Imaging;
using Grounded.Inpaint;
using Grounded.Masks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grounded.Pipeline.Observability;

/// <summary>Times, traces and logs every call of an inpainter ("inpaint").</summary>
public sealed class InstrumentedInpainter(IInpainter inner, ILogger? logger = null) : DelegatingInpainter(inner)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public override Task<RgbImage> InpaintAsync(RgbImage image, AlphaMask mask, InpaintOptions options, IProgress<(int Step, int Total)>? progress = null, CancellationToken cancellationToken = default) =>
        StageInstrumentation.RunAsync("inpaint", _logger, () => base.InpaintAsync(image, mask, options, progress, cancellationToken));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // The wrapped inpainter stays its owner's.
    }
}
