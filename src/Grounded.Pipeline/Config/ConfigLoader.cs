namespace Grounded.Pipeline.Config;

/// <summary>Reads a <see cref="GroundedConfig"/> from YAML or JSON (JSON is read as YAML, its superset).</summary>
public static class ConfigLoader
{
    /// <summary>Loads a settings file; unknown keys are errors so typos do not pass silently.</summary>
    public static GroundedConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(YamlFile.Read(path, "Config file"), path);
    }

    /// <summary>Parses settings text.</summary>
    public static GroundedConfig Parse(string text, string name = "config") => YamlFile.Parse<GroundedConfig>(text, "Config", name);
}
