using System.Text.Json;
using Grounded.Agents;
using Grounded.Agents.Tools;
using Microsoft.Extensions.AI;

namespace Grounded.SemanticKernel;

/// <summary>
/// One agent tool as a Microsoft.Extensions.AI <see cref="AIFunction"/>: its name, description and argument schema
/// come from the <see cref="ToolDefinition"/>; arguments are checked against that schema; it answers with the
/// result's JSON, or <c>{"error": "…"}</c> for any failure — it never throws, except for the caller's cancellation.
/// </summary>
public sealed class GroundedToolFunction : AIFunction
{
    /// <summary>The key of <see cref="AIFunctionArguments.Context"/> under which a host passes an <see cref="IProgress{AgentProgress}"/>.</summary>
    public const string ProgressKey = "grounded.progress";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly GroundedAgentService _service;

    internal GroundedToolFunction(ToolDefinition definition, GroundedAgentService service)
    {
        Definition = definition;
        _service = service;
    }

    /// <summary>The tool.</summary>
    public ToolDefinition Definition { get; }

    /// <inheritdoc />
    public override string Name => Definition.Name;

    /// <inheritdoc />
    public override string Description => Definition.Description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => Definition.InputSchema;

    /// <inheritdoc />
    public override JsonElement? ReturnJsonSchema => Definition.OutputSchema;

    /// <summary>True when the answer is an error.</summary>
    public static bool IsError(string answer, out string? message)
    {
        message = null;
        try
        {
            using var doc = JsonDocument.Parse(answer);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && doc.RootElement.EnumerateObject().Count() == 1)
            {
                message = error.GetString();
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            var checkedArguments = ToolArguments.Check(Definition.InputSchema, arguments.Where(a => a.Key is not ("kernel" or "cancellationToken")));
            var progress = arguments.Context?.TryGetValue(ProgressKey, out var p) == true ? p as IProgress<AgentProgress> : null;
            object result = await Definition.Run(checkedArguments, progress, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(result, result.GetType(), Json);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = ToolErrors.Message(ex, _service) });
        }
    }
}
