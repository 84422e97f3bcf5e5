using System.Globalization;
using System.Text;
using Grounded.Imaging;
using Grounded.Segmenter;
using Grounded.Studio.Sessions;

namespace Grounded.Studio.Stages;

/// <summary>
/// The segmenter as one image's session sees it: the image's embedding is the one computed at upload, and a prompt
/// decoded once (a box the detector found again after a threshold moved) is not decoded again.
/// </summary>
internal sealed class SessionSegmenter(SamSegmenter segmenter, StudioImage session) : DelegatingSegmenter(segmenter)
{
    public override Task<ImageEmbedding> EncodeAsync(RgbImage image, CancellationToken cancellationToken = default) =>
        ReferenceEquals(image, session.Image) && session.Embedding is { } embedding
            ? embedding.WaitAsync(cancellationToken)
            : base.EncodeAsync(image, cancellationToken);

    public override async Task<SegmentationResult> SegmentAsync(ImageEmbedding embedding, SegmentationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = request.Prompts.Select(p => KeyOf(p, request.Options)).ToList();
        var missing = Enumerable.Range(0, keys.Count).Where(i => keys[i] is null || !session.Masks.ContainsKey(keys[i]!)).ToList();
        if (missing.Count > 0)
        {
            var decoded = await base.SegmentAsync(embedding, request with { Prompts = [.. missing.Select(i => request.Prompts[i])] }, cancellationToken).ConfigureAwait(false);
            var objects = new SegmentedObject[keys.Count];
            for (int k = 0; k < missing.Count; k++)
            {
                objects[missing[k]] = decoded.Objects[k];
                if (keys[missing[k]] is { } key)
                {
                    session.Masks[key] = decoded.Objects[k];
                }
            }

            for (int i = 0; i < keys.Count; i++)
            {
                objects[i] ??= session.Masks[keys[i]!];
            }

            TrimCache();
            return new SegmentationResult(objects);
        }

        return new SegmentationResult([.. keys.Select(k => session.Masks[k!])]);
    }

    private void TrimCache()
    {
        // A page moving a threshold revisits the same boxes; the cache holds at most 64 MB of full-size masks
        // (candidates included) and at most 256 prompts, then starts over.
        long maskBytes = Math.Max(1, (long)session.Image.Width * session.Image.Height / 8);
        long held = session.Masks.Values.Sum(o => (long)o.Candidates.Count) * maskBytes;
        if (session.Masks.Count > 256 || held > CacheBytes)
        {
            session.Masks.Clear();
        }
    }

    private const long CacheBytes = 64L * 1024 * 1024;

    /// <summary>A prompt's identity (null: not cached, e.g. a mask input).</summary>
    private static string? KeyOf(SamPrompt prompt, SegmentOptions options)
    {
        if (prompt.MaskInput is not null)
        {
            return null;
        }

        var key = new StringBuilder();
        key.Append(CultureInfo.InvariantCulture, $"m{options.Multimask} t{options.MaskThreshold:R}");
        foreach (var p in prompt.Points)
        {
            key.Append(CultureInfo.InvariantCulture, $" p{p.X:R},{p.Y:R},{p.IsPositive}");
        }

        if (prompt.Box is { } b)
        {
            key.Append(CultureInfo.InvariantCulture, $" b{b.X0:R},{b.Y0:R},{b.X1:R},{b.Y1:R}");
        }

        return key.ToString();
    }

    protected override void Dispose(bool disposing)
    {
    }
}
