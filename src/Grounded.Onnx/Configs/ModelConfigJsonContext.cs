using System.Text.Json.Serialization;

namespace Grounded.Onnx.Configs;

/// <summary>Source-generated reading of model configs (snake_case keys, comments and trailing commas tolerated as transformers writes them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ImageProcessorConfig))]
[JsonSerializable(typeof(ImageSizeConfig))]
[JsonSerializable(typeof(TokenizerConfig))]
[JsonSerializable(typeof(TextModelConfig))]
[JsonSerializable(typeof(DiffusersConfig))]
public sealed partial class ModelConfigJsonContext : JsonSerializerContext
{
}
