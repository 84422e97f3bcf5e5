using Grounded.Settings;

namespace Grounded.Detector;

/// <summary>Non-maximum suppression of overlapping boxes (off by default, as in the references).</summary>
public enum NmsMode
{
    /// <summary>Keep every box above the thresholds.</summary>
    [SettingName("none", "off")]
    None,

    /// <summary>Suppress overlaps only between boxes of the same class.</summary>
    [SettingName("class", "per-class")]
    PerClass,

    /// <summary>Suppress overlaps regardless of class.</summary>
    [SettingName("agnostic", "class-agnostic", "all")]
    ClassAgnostic,
}
