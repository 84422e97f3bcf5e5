using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grounded.Models;

/// <summary>The model sets Grounded knows how to download (models/manifest.json, embedded in the build).</summary>
public sealed class ModelManifest
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Default set per stage.</summary>
    [JsonPropertyName("defaults")]
    public Dictionary<string, string> Defaults { get; init; } = [];

    /// <summary>All sets.</summary>
    [JsonPropertyName("sets")]
    public List<ModelSet> Sets { get; init; } = [];

    /// <summary>The manifest built into Grounded, or the file named by GROUNDED_MANIFEST.</summary>
    public static ModelManifest Load()
    {
        string? overridePath = Environment.GetEnvironmentVariable("GROUNDED_MANIFEST");
        if (!string.IsNullOrEmpty(overridePath))
        {
            return Parse(File.ReadAllText(overridePath));
        }

        using var stream = typeof(ModelManifest).Assembly.GetManifestResourceStream("Grounded.models.manifest.json")
            ?? throw new InvalidOperationException("The model manifest is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Parses manifest JSON.</summary>
    public static ModelManifest Parse(string json) => JsonSerializer.Deserialize<ModelManifest>(json, Json) ?? new ModelManifest();

    /// <summary>The set of that name.</summary>
    public ModelSet Get(string name) =>
        Sets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidRequestException($"No model set '{name}'. Known sets: {string.Join(", ", Sets.Select(s => s.Name))}.");

    /// <summary>The default set for a stage ("detector" or "segmenter").</summary>
    public ModelSet Default(string kind) => Get(Defaults.TryGetValue(kind, out var name) ? name : throw new GroundedException($"No default {kind} in the manifest."));
}

/// <summary>One downloadable model: a Hugging Face repository at a revision and the files Grounded needs from it.</summary>
public sealed class ModelSet
{
    /// <summary>Short name used on the command line.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>"detector" or "segmenter".</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>What it is and why one would pick it.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>owner/name on Hugging Face.</summary>
    public string Repo { get; init; } = string.Empty;

    /// <summary>A commit (pinned) or a branch.</summary>
    public string Revision { get; init; } = "main";

    /// <summary>For detectors with several ONNX variants, the one to load.</summary>
    public string? ModelFile { get; init; }

    /// <summary>The files, with their expected SHA-256 where known.</summary>
    public List<ModelFileEntry> Files { get; init; } = [];
}

/// <summary>A file of a model set.</summary>
public sealed class ModelFileEntry
{
    /// <summary>Path inside the repository (and inside the local set folder).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Expected SHA-256 (lower-case hex) when the manifest pins it.</summary>
    public string? Sha256 { get; init; }
}
