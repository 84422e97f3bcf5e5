using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Grounded.Pipeline.Config;

/// <summary>Reads a <see cref="GroundedConfig"/> from YAML or JSON (JSON is read as YAML, its superset).</summary>
public static class ConfigLoader
{
    /// <summary>Loads a settings file; unknown keys are errors so typos do not pass silently.</summary>
    public static GroundedConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InvalidRequestException($"Config file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses settings text.</summary>
    public static GroundedConfig Parse(string text, string name = "config")
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        try
        {
            return deserializer.Deserialize<GroundedConfig?>(text) ?? new GroundedConfig();
        }
        catch (YamlException ex)
        {
            string detail = (ex.InnerException?.Message ?? ex.Message).Split('\n')[0];
            throw new InvalidRequestException($"Config '{name}' line {ex.Start.Line}: {detail}", ex);
        }
    }
}
