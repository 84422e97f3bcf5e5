using System.Text.Json;
using Grounded.Outputs.Json;
using Grounded.Results;

namespace Grounded.Outputs;

/// <summary>Reads a results.json back (a resumed run reports and re-counts finished images without re-running them).</summary>
public static class ResultReader
{
    /// <summary>Parses a results.json file.</summary>
    /// <exception cref="JsonException">The file is not a result document.</exception>
    public static ImageResult Read(string path) => ResultDocument.ToResult(ReadDocument(path));

    /// <summary>Parses a results.json file as written, with what produced it.</summary>
    /// <exception cref="JsonException">The file is not a result document.</exception>
    public static ResultJson ReadDocument(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), GroundedJsonContext.Default.ResultJson) ?? throw new JsonException($"'{path}' is empty.");
}
