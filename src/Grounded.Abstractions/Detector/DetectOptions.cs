using Grounded.Settings;

namespace Grounded.Detector;

/// <summary>
/// How detections are kept: thresholds, caption rule and NMS. Defaults follow Grounded-SAM's demo (box 0.3,
/// text 0.25) and the references (no NMS). Validated when built: an out-of-range value throws
/// <see cref="InvalidSettingException"/> naming the setting.
/// </summary>
public sealed record DetectOptions
{
    private readonly float _boxThreshold = 0.3f;
    private readonly float _textThreshold = 0.25f;
    private readonly float _nmsIou = 0.5f;
    private readonly CaptionMode _captionMode;
    private readonly NmsMode _nms;

    /// <summary>A box is kept when its best token probability is strictly above this (0..1, default 0.3).</summary>
    public float BoxThreshold
    {
        get => _boxThreshold;
        init => _boxThreshold = Check.Probability(value, "box_threshold");
    }

    /// <summary>Tokens strictly above this form the phrase (0..1, default 0.25).</summary>
    public float TextThreshold
    {
        get => _textThreshold;
        init => _textThreshold = Check.Probability(value, "text_threshold");
    }

    /// <summary>How the prompt becomes a caption (default gsa).</summary>
    public CaptionMode CaptionMode
    {
        get => _captionMode;
        init => _captionMode = Check.Defined(value, "caption_mode");
    }

    /// <summary>Non-maximum suppression (default none).</summary>
    public NmsMode Nms
    {
        get => _nms;
        init => _nms = Check.Defined(value, "nms");
    }

    /// <summary>IoU above which NMS suppresses the weaker box (0..1, default 0.5).</summary>
    public float NmsIou
    {
        get => _nmsIou;
        init => _nmsIou = Check.Probability(value, "nms_iou");
    }

    /// <summary>The defaults.</summary>
    public static DetectOptions Default { get; } = new();
}
