using Grounded.Settings;

namespace Grounded.Recipes;

/// <summary>Reads a settings file (YAML or JSON) into <see cref="GroundedSettings"/>; unknown keys are errors so typos do not pass silently.</summary>
public static class ConfigLoader
{
    /// <summary>Loads a settings file over the defaults.</summary>
    public static GroundedSettings Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return SettingsReader.Bind(SettingsReader.ReadFile(path, "Config file"), GroundedSettings.Default, path, string.Empty);
    }

    /// <summary>Parses settings text over the defaults.</summary>
    public static GroundedSettings Parse(string text, string name = "config") =>
        SettingsReader.Bind(SettingsReader.Parse(text, name), GroundedSettings.Default, name, string.Empty);
}
