using Grounded.Agents;
using System.ComponentModel;
using System.Text.Json;
using Microsoft.SemanticKernel;

namespace Grounded.SemanticKernel;

/// <summary>
/// Grounded for LLM agents: find, segment and cut out what a text prompt names in an image. Every function returns
/// compact JSON (counts, labels, scores, boxes, areas, file paths); failures come back as {"error": "..."} for the
/// model to read, never as exceptions that stop the host.
/// </summary>
public sealed class GroundedPlugin(GroundedAgentService service)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Finds objects named by a prompt.</summary>
    [KernelFunction("detect_objects")]
    [Description("Finds the objects a text prompt names in an image and returns their labels, scores and boxes (x0, y0, x1, y1 in pixels), plus an overlay image path.")]
    public Task<string> DetectObjectsAsync(
        [Description("Path of the image, inside the allowed input folders.")] string image,
        [Description("What to find: a phrase like \"the bear\" or classes separated by '.', like \"dog . cat\".")] string prompt,
        [Description("Minimum box score between 0 and 1 (default 0.3). Raise it for fewer, surer boxes.")] float? box_threshold = null,
        [Description("Minimum token score between 0 and 1 for the phrase (default 0.25).")] float? text_threshold = null,
        CancellationToken cancellationToken = default) =>
        Answer(() => service.DetectAsync(image, prompt, box_threshold, text_threshold, cancellationToken));

    /// <summary>Segments objects named by a prompt.</summary>
    [KernelFunction("segment_objects")]
    [Description("Finds the objects a text prompt names and makes a pixel mask for each: returns labels, scores, boxes, mask areas and the paths of the mask PNGs and an overlay.")]
    public Task<string> SegmentObjectsAsync(
        [Description("Path of the image, inside the allowed input folders.")] string image,
        [Description("What to segment: a phrase like \"the bear\" or classes separated by '.'.")] string prompt,
        [Description("Minimum box score between 0 and 1 (default 0.3).")] float? box_threshold = null,
        [Description("Minimum token score between 0 and 1 (default 0.25).")] float? text_threshold = null,
        CancellationToken cancellationToken = default) =>
        Answer(() => service.SegmentAsync(image, prompt, box_threshold, text_threshold, cancellationToken));

    /// <summary>Cuts objects out onto transparency.</summary>
    [KernelFunction("cut_out")]
    [Description("Cuts out the objects a text prompt names: each becomes a PNG with a transparent background, cropped to the object. Returns the cut-out paths.")]
    public Task<string> CutOutAsync(
        [Description("Path of the image, inside the allowed input folders.")] string image,
        [Description("What to cut out, e.g. \"the dog\".")] string prompt,
        CancellationToken cancellationToken = default) =>
        Answer(() => service.CutOutAsync(image, prompt, cancellationToken));

    /// <summary>Removes objects and fills the hole.</summary>
    [KernelFunction("remove_objects")]
    [Description("Removes the objects a text prompt names from an image and fills the hole so they are gone. Returns the edited image's path and what was removed.")]
    public Task<string> RemoveObjectsAsync(
        [Description("Path of the image, inside the allowed input folders.")] string image,
        [Description("What to remove, e.g. \"the bench\" or \"person . car\".")] string prompt,
        CancellationToken cancellationToken = default) =>
        Answer(() => service.RemoveAsync(image, prompt, cancellationToken));

    /// <summary>Replaces objects with something described in words.</summary>
    [KernelFunction("replace_objects")]
    [Description("Replaces the objects a text prompt names with something else described in words (Stable Diffusion inpainting). Returns the edited image's path.")]
    public Task<string> ReplaceObjectsAsync(
        [Description("Path of the image, inside the allowed input folders.")] string image,
        [Description("What to replace, e.g. \"the sofa\".")] string prompt,
        [Description("What to paint instead, e.g. \"a red leather chair\".")] string replacement,
        CancellationToken cancellationToken = default) =>
        Answer(() => service.ReplaceAsync(image, prompt, replacement, cancellationToken));

    private static async Task<string> Answer(Func<Task<AgentResult>> work)
    {
        try
        {
            return JsonSerializer.Serialize(await work().ConfigureAwait(false), Json);
        }
        catch (Exception ex) when (ex is GroundedException or Settings.InvalidSettingException)
        {
            return JsonSerializer.Serialize(new { error = ex.Message.Split('\n')[0] });
        }
    }
}
