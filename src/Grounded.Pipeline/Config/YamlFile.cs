using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Grounded.Pipeline.Config;

/// <summary>Reads snake_case YAML (or JSON, YAML's subset) into settings classes; unknown keys are errors naming the line.</summary>
internal static class YamlFile
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    public static T Parse<T>(string text, string what, string name)
        where T : class, new()
    {
        try
        {
            return Deserializer.Deserialize<T?>(text) ?? new T();
        }
        catch (YamlException ex)
        {
            string detail = (ex.InnerException?.Message ?? ex.Message).Split('\n')[0];
            throw new InvalidRequestException($"{what} '{name}' line {ex.Start.Line}: {detail}", ex);
        }
    }

    public static string Read(string path, string what) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new InvalidRequestException($"{what} '{path}' does not exist.");
}
