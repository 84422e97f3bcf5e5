using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Studio.Sessions;

namespace Grounded.Studio.Stages;

/// <summary>
/// The detector as one image's session sees it: the model runs once per prompt (and caption rule), and every other
/// threshold or NMS setting re-filters that run's raw outputs, exactly as a fresh run would filter them.
/// </summary>
internal sealed class SessionDetector(GroundingDinoDetector detector, StudioImage session, StudioModels models) : DelegatingDetector(detector)
{
    public override async Task<DetectionResult> DetectAsync(RgbImage image, DetectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ReferenceEquals(image, session.Image))
        {
            return await base.DetectAsync(image, request, cancellationToken).ConfigureAwait(false);
        }

        string key = $"{request.Options.CaptionMode}\n{request.Prompt}\n{string.Join(" . ", request.Classes ?? [])}";
        var raw = await session.RawDetectionAsync(key, () =>
        {
            models.CountDetectorRun();
            // Not the caller's token: the run is shared by later calls for the same prompt.
            return detector.DetectRawAsync(image, request, CancellationToken.None);
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return detector.Postprocess(raw, request.Options);
    }

    // The stage belongs to the server, not to this per-request wrapper.
    protected override void Dispose(bool disposing)
    {
    }
}
