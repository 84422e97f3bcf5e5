using Grounded.Settings;

namespace Grounded.Masks;

/// <summary>How several objects' masks become edits.</summary>
public enum MaskCombineMode
{
    /// <summary>Only the first of the masks given (the inpaint step gives them best score first).</summary>
    [SettingName("first")]
    First,

    /// <summary>All objects as one mask (the default for removal).</summary>
    [SettingName("merge", "union")]
    Merge,

    /// <summary>One edit per object, applied in turn.</summary>
    [SettingName("each")]
    Each,
}
