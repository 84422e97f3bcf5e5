namespace Grounded.Detector;

/// <summary>Non-maximum suppression of overlapping boxes (off by default, as in the references).</summary>
public enum NmsMode
{
    /// <summary>Keep every box above the thresholds.</summary>
    None,

    /// <summary>Suppress overlaps only between boxes of the same class.</summary>
    PerClass,

    /// <summary>Suppress overlaps regardless of class.</summary>
    ClassAgnostic,
}
