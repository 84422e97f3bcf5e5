using Grounded.Settings;

namespace Grounded.Detector;

/// <summary>How the user's prompt becomes the caption the text encoder reads.</summary>
public enum CaptionMode
{
    /// <summary>Grounded-SAM's rule (the default): lower-case, trim, end with '.'.</summary>
    [SettingName("gsa")]
    Gsa,

    /// <summary>Exactly as given, as Hugging Face's processor tokenises it.</summary>
    [SettingName("raw")]
    Raw,
}
