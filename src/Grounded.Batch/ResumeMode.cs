using Grounded.Settings;

namespace Grounded.Batch;

/// <summary>Whether a rerun keeps images whose outputs are already there.</summary>
public enum ResumeMode
{
    /// <summary>Keep an image's folder when it was made by the same run identity from the same input bytes; redo it otherwise.</summary>
    [SettingName("auto")]
    Auto,

    /// <summary>Redo every image.</summary>
    [SettingName("never", "overwrite")]
    Never,
}
