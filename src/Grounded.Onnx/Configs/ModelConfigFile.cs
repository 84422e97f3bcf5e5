using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Grounded.Onnx.Configs;

/// <summary>
/// Reads a model folder's JSON config (preprocessor_config.json, config.json, tokenizer_config.json…) into its
/// typed record. Any fault — malformed JSON, a value of the wrong type, a file that is not an object — is a
/// <see cref="ModelContractException"/> naming the file, the key and the line, never a .NET type name.
/// </summary>
public static class ModelConfigFile
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="ModelContractException">The file cannot be read as <typeparamref name="T"/>.</exception>
    public static T Read<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? throw new ModelContractException(path, "the config is null, not a JSON object.");
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is long line ? $" (line {line + 1})" : string.Empty;
            string key = ex.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : string.Empty;
            string what = key.Length == 0
                ? $"the config is not a JSON object of settings{where}."
                : $"'{key}' has a value of the wrong type{where}.";
            throw new ModelContractException(path, what, ex);
        }
        catch (IOException ex)
        {
            throw new ModelContractException(path, $"the config cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>A config value out of its range: names the file and the key.</summary>
    public static ModelContractException Invalid(string path, string key, string expected) => new(path, $"'{key}' {expected}.");
}
