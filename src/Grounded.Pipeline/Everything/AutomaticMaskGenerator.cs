using Grounded.Geometry;
using Grounded.Imaging;
using Grounded.Masks;
using Grounded.Segmenter;

namespace Grounded.Pipeline.Everything;

/// <summary>
/// Segment everything: segment-anything's SamAutomaticMaskGenerator for both ONNX layouts. A grid of single-point
/// prompts per crop, multimask answers filtered by predicted IoU and stability, box NMS within and between crops,
/// and optional clean-up of small holes and islands. The embedding is computed once per crop.
/// </summary>
public sealed class AutomaticMaskGenerator
{
    private readonly ISegmenter _segmenter;
    private readonly EverythingOptions _options;
    private readonly float _maskThreshold;
    private readonly List<IReadOnlyList<(double X, double Y)>> _grids;

    /// <summary>Creates a generator over any segmenter (which stays the caller's).</summary>
    public AutomaticMaskGenerator(ISegmenter segmenter, EverythingOptions? options = null, SegmentOptions? segment = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        _segmenter = segmenter;
        _options = options ?? EverythingOptions.Default;
        _maskThreshold = (segment ?? SegmentOptions.Default).MaskThreshold;
        _grids = _options.PointGrids is { } grids
            ? [.. grids]
            : AmgGeometry.LayerGrids(_options.PointsPerSide, _options.CropNLayers, Math.Max(1, _options.CropNPointsDownscaleFactor));
        if (_grids.Count != _options.CropNLayers + 1)
        {
            throw new ArgumentException($"Give one point grid per crop layer ({_options.CropNLayers + 1}); got {_grids.Count}.", nameof(options));
        }
    }

    /// <summary>Finds every object, in the reference's output order.</summary>
    public async Task<IReadOnlyList<AutomaticMask>> GenerateAsync(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var crops = AmgGeometry.CropBoxes(image.Width, image.Height, _options.CropNLayers, _options.CropOverlapRatio);
        var all = new List<Candidate>();
        foreach (var (box, layer) in crops)
        {
            var cropImage = box is [0, 0, var w, var h] && w == image.Width && h == image.Height ? image : image.Crop(box[0], box[1], box[2] - box[0], box[3] - box[1]);
            var embedding = await _segmenter.EncodeAsync(cropImage, cancellationToken).ConfigureAwait(false);
            var found = await ProcessCropAsync(embedding, box, _grids[layer], image.Width, image.Height, cancellationToken).ConfigureAwait(false);
            all.AddRange(found);
        }

        if (crops.Count > 1)
        {
            // Between crops, prefer masks from smaller crops: score = 1 / crop area.
            var keep = GreedyNms.Keep([.. all.Select(c => c.Box)], [.. all.Select(c => 1f / (float)((c.Crop[2] - c.Crop[0]) * (c.Crop[3] - c.Crop[1])))], _options.CropNmsThresh);
            all = [.. keep.Select(i => all[i])];
        }

        if (_options.MinMaskRegionArea > 0)
        {
            all = RemoveSmallRegions(all, _options.MinMaskRegionArea, Math.Max(_options.BoxNmsThresh, _options.CropNmsThresh));
        }

        return [.. all.Select(c => new AutomaticMask(
            c.Mask, c.Mask.Area(), [c.Box.X0, c.Box.Y0, c.Box.X1 - c.Box.X0, c.Box.Y1 - c.Box.Y0],
            c.Iou, c.Stability, c.Point, [c.Crop[0], c.Crop[1], c.Crop[2] - c.Crop[0], c.Crop[3] - c.Crop[1]]))];
    }

    private async Task<List<Candidate>> ProcessCropAsync(ImageEmbedding embedding, int[] crop, IReadOnlyList<(double X, double Y)> grid, int width, int height, CancellationToken cancellationToken)
    {
        int cropW = crop[2] - crop[0], cropH = crop[3] - crop[1];
        var points = grid.Select(p => (p.X * cropW, p.Y * cropH)).ToList();
        // Batches run two at a time, so one batch's decoder call overlaps the other's post-processing; results are
        // gathered in batch order, as the reference concatenates them. Every batch started is awaited before this
        // returns, also when one fails or the work is cancelled, so nothing runs on after the caller moves on.
        var batches = new List<Candidate?[]>();
        using var inFlight = new SemaphoreSlim(2);
        var tasks = new List<Task>();
        try
        {
            for (int start = 0; start < points.Count; start += _options.PointsPerBatch)
            {
                var batch = points.Skip(start).Take(_options.PointsPerBatch).ToList();
                var slots = new Candidate?[batch.Count * 3];
                batches.Add(slots);
                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                tasks.Add(DecodeBatchAsync(batch, slots));
            }
        }
        finally
        {
            await Task.WhenAll(tasks).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        var kept = batches.SelectMany(b => b.OfType<Candidate>()).ToList();

        var keep = GreedyNms.Keep([.. kept.Select(c => c.CropBox)], [.. kept.Select(c => c.Iou)], _options.BoxNmsThresh);
        return [.. keep.Select(i => kept[i])];

        async Task DecodeBatchAsync(List<(double, double)> batch, Candidate?[] slots)
        {
            try
            {
                await _segmenter.DecodePointsAsync(embedding, [.. batch.Select(p => ((float)p.Item1, (float)p.Item2))], MinimumPredictedIou, (p, c, iou, logits) =>
                {
                    if (c < 3)
                    {
                        slots[(p * 3) + c] = Filter(iou, logits, cropW, cropH, crop, width, height, (batch[p].Item1 + crop[0], batch[p].Item2 + crop[1]));
                    }
                }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    /// <summary>The reference filters on predicted IoU only when its threshold is above 0; the segmenter skips the rest.</summary>
    private float? MinimumPredictedIou => _options.PredIouThresh > 0 ? _options.PredIouThresh : null;

    /// <summary>_process_batch for one mask: IoU and stability filters, threshold, box, edge filter, uncrop.</summary>
    private Candidate? Filter(float iou, ReadOnlySpan<float> logits, int w, int h, int[] crop, int width, int height, (double X, double Y) point)
    {
        if (_options.PredIouThresh > 0 && !(iou > _options.PredIouThresh))
        {
            return null;
        }

        // One pass over the logits does the stability counts, the threshold and the box: this runs for every
        // candidate (3 per grid point), so it does not re-read the mask for BinaryMask.BoundingBox.
        float threshold = _maskThreshold, offset = _options.StabilityScoreOffset;
        int intersections = 0, unions = 0;
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        var mask = new BinaryMask(width, height);
        for (int y = 0; y < h; y++)
        {
            var row = logits.Slice(y * w, w);
            long outRow = ((long)(y + crop[1]) * width) + crop[0];
            for (int x = 0; x < w; x++)
            {
                float v = row[x];
                if (v > threshold + offset)
                {
                    intersections++;
                }

                if (v > threshold - offset)
                {
                    unions++;
                }

                if (v > threshold)
                {
                    mask.Set(outRow + x, true);
                    if (x < x0)
                    {
                        x0 = x;
                    }

                    if (x > x1)
                    {
                        x1 = x;
                    }

                    if (y < y0)
                    {
                        y0 = y;
                    }

                    y1 = y;
                }
            }
        }

        float stability = (float)intersections / unions;
        if (_options.StabilityScoreThresh > 0 && !(stability >= _options.StabilityScoreThresh))
        {
            return null;
        }

        // batched_mask_to_box: inclusive max edges, an empty mask gives [0, 0, 0, 0].
        var cropBox = x1 < 0 ? new BoxXyxy(0, 0, 0, 0) : new BoxXyxy(x0, y0, x1, y1);
        if (IsNearCropEdge(cropBox, crop, width, height))
        {
            return null;
        }

        var box = new BoxXyxy(cropBox.X0 + crop[0], cropBox.Y0 + crop[1], cropBox.X1 + crop[0], cropBox.Y1 + crop[1]);
        return new Candidate(mask, cropBox, box, iou, stability, point, crop);
    }

    /// <summary>is_box_near_crop_edge: within 20 px of a crop edge that is not also an image edge.</summary>
    internal static bool IsNearCropEdge(BoxXyxy cropRelative, int[] crop, int width, int height)
    {
        const float Tolerance = 20f;
        float[] box = [cropRelative.X0 + crop[0], cropRelative.Y0 + crop[1], cropRelative.X1 + crop[0], cropRelative.Y1 + crop[1]];
        float[] image = [0, 0, width, height];
        for (int i = 0; i < 4; i++)
        {
            if (Math.Abs(box[i] - crop[i]) <= Tolerance && !(Math.Abs(box[i] - image[i]) <= Tolerance))
            {
                return true;
            }
        }

        return false;
    }

    private static List<Candidate> RemoveSmallRegions(List<Candidate> candidates, int minArea, float nmsThreshold)
    {
        var cleaned = new Candidate[candidates.Count];
        var scores = new float[candidates.Count];
        Parallel.For(0, candidates.Count, i =>
        {
            var (filled, holesChanged) = MaskRegions.FillSmallHoles(candidates[i].Mask, minArea);
            var (mask, islandsChanged) = MaskRegions.RemoveSmallIslands(filled, minArea);
            bool changed = holesChanged || islandsChanged;
            // Unchanged masks score 1 so NMS prefers masks that needed no clean-up.
            scores[i] = changed ? 0f : 1f;
            cleaned[i] = changed ? candidates[i] with { Mask = mask, Box = InclusiveBox(mask) } : candidates[i];
        });
        var keep = GreedyNms.Keep([.. cleaned.Select(c => c.Box)], scores, nmsThreshold);
        return [.. keep.Select(i => cleaned[i])];
    }

    private static BoxXyxy InclusiveBox(BinaryMask mask) => mask.BoundingBox() is { } b ? new BoxXyxy(b.X0, b.Y0, b.X1 - 1, b.Y1 - 1) : new BoxXyxy(0, 0, 0, 0);

    private sealed record Candidate(BinaryMask Mask, BoxXyxy CropBox, BoxXyxy Box, float Iou, float Stability, (double X, double Y) Point, int[] Crop);
}
