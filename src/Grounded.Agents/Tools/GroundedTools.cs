using System.Text.Json;
using System.Text.Json.Nodes;
using Grounded.Geometry;
using Grounded.Segmenter;

namespace Grounded.Agents.Tools;

/// <summary>The agent tools, each defined once over a <see cref="GroundedAgentService"/>.</summary>
public static class GroundedTools
{
    /// <summary>The longest prompt a tool takes.</summary>
    public const int MaxPromptLength = 1000;

    /// <summary>Every tool, in the order they are listed.</summary>
    public static IReadOnlyList<ToolDefinition> Create(GroundedAgentService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return
        [
            new()
            {
                Name = "detect_objects",
                Title = "Detect objects",
                Description = "Finds the objects a text prompt names in an image: returns their labels, scores and boxes (x0, y0, x1, y1 in pixels, clipped to the image) and the path of an overlay image.",
                InputSchema = Input(Image, Prompt(required: true), BoxThreshold, TextThreshold, MaxObjects, IncludeImage),
                OutputSchema = ResultSchema,
                Idempotent = true,
                Needs = ["detector"],
                Run = async (a, p, ct) => await service.RunAsync(AgentTask.Detect, Request(a), p, ct).ConfigureAwait(false),
            },
            new()
            {
                Name = "segment_objects",
                Title = "Segment objects",
                Description = "Makes a pixel mask for each object a text prompt names, or for given boxes and clicked points: returns labels, scores, boxes, mask areas and the paths of the mask PNGs and an overlay.",
                InputSchema = Input(Image, Prompt(required: false), Boxes, Points, BoxThreshold, TextThreshold, MaxObjects, IncludeImage),
                OutputSchema = ResultSchema,
                Idempotent = true,
                Needs = ["detector", "segmenter"],
                Run = async (a, p, ct) => await service.RunAsync(AgentTask.Segment, Request(a), p, ct).ConfigureAwait(false),
            },
            new()
            {
                Name = "segment_everything",
                Title = "Segment everything",
                Description = "Masks every object in an image without a prompt (SAM's automatic mask generator): returns each mask's box, area and predicted quality, and the paths of the mask PNGs and an overlay. Slow on large images.",
                InputSchema = Input(Image, ("points_per_side", Integer("Grid points per side (default 32); fewer is faster and finds fewer, larger objects.", 4, 64)), MaxObjects, IncludeImage),
                OutputSchema = ResultSchema,
                Idempotent = true,
                Needs = ["segmenter"],
                Run = async (a, p, ct) => await service.RunAsync(AgentTask.Everything, Request(a), p, ct).ConfigureAwait(false),
            },
            new()
            {
                Name = "cut_out",
                Title = "Cut out objects",
                Description = "Cuts out the objects a text prompt names: each becomes a PNG with a transparent background, cropped to the object. Returns the cut-out paths.",
                InputSchema = Input(Image, Prompt(required: true), BoxThreshold, TextThreshold, MaxObjects, IncludeImage),
                OutputSchema = ResultSchema,
                Idempotent = true,
                Needs = ["detector", "segmenter"],
                Run = async (a, p, ct) => await service.RunAsync(AgentTask.CutOut, Request(a), p, ct).ConfigureAwait(false),
            },
            new()
            {
                Name = "remove_objects",
                Title = "Remove objects",
                Description = "Removes the objects a text prompt names and fills the hole so they are gone (the input is not changed): returns the edited image's path and what was removed.",
                InputSchema = Input(Image, Prompt(required: true), BoxThreshold, TextThreshold, MaxObjects, IncludeImage),
                OutputSchema = ResultSchema,
                Needs = ["detector", "segmenter"],
                Run = async (a, p, ct) => await service.RunAsync(AgentTask.Remove, Request(a), p, ct).ConfigureAwait(false),
            },
            new()
            {
                Name = "replace_objects",
                Title = "Replace objects",
                Description = "Replaces the objects a text prompt names with something described in words (Stable Diffusion inpainting; the input is not changed): returns the edited image's path.",
                InputSchema = Input(Image, Prompt(required: true),
                    ("replacement", Text("What to paint instead, e.g. \"a red leather chair\".", 500, required: true)),
                    ("steps", Integer("Denoising steps (default 25); fewer is faster and rougher.", 1, 100)),
                    ("guidance", Number("How closely to follow the replacement text (default 7.5).", 0, 30)),
                    ("seed", Integer("Random seed, for a repeatable result.", 0, int.MaxValue)),
                    BoxThreshold, TextThreshold, MaxObjects, IncludeImage),
                OutputSchema = ResultSchema,
                Needs = ["detector", "segmenter", "inpainter:sd"],
                Run = async (a, p, ct) => await service.RunAsync(AgentTask.Replace, Request(a), p, ct).ConfigureAwait(false),
            },
            new()
            {
                Name = "describe_image",
                Title = "Describe an image file",
                Description = "Reads an image's size, format and EXIF orientation without running any model. Use it to check an image before the other tools.",
                InputSchema = Input(Image),
                OutputSchema = DescriptionSchema,
                ReadOnly = true,
                Idempotent = true,
                Run = async (a, _, ct) => await service.DescribeAsync(a.String("image")!, ct).ConfigureAwait(false),
            },
        ];
    }

    private static AgentRequest Request(ToolArguments a)
    {
        // Points and one box form one object, as in the CLI; with several boxes the points go to none of them.
        var boxes = (a.Lists("boxes") ?? []).Select(box => new BoxXyxy((float)box[0], (float)box[1], (float)box[2], (float)box[3])).ToList();
        var clicks = (a.Lists("points") ?? []).Select(p => new PromptPoint((float)p[0], (float)p[1], p.Length < 3 || p[2] != 0)).ToList();
        var prompts = SamPrompt.Combine(clicks, boxes, "'points'", "box") ?? [];

        return new AgentRequest
        {
            Image = a.String("image")!,
            Prompt = a.String("prompt"),
            BoxThreshold = a.Float("box_threshold"),
            TextThreshold = a.Float("text_threshold"),
            MaxObjects = a.Int("max_objects"),
            Prompts = prompts.Count > 0 ? prompts : null,
            PointsPerSide = a.Int("points_per_side"),
            Replacement = a.String("replacement"),
            Steps = a.Int("steps"),
            Guidance = a.Float("guidance"),
            Seed = a.Int("seed"),
        };
    }

    private static readonly (string, JsonObject) Image = ("image", Text("The image: a path inside the allowed input folders (relative paths start there).", 1024, required: true));

    private static readonly (string, JsonObject) BoxThreshold = ("box_threshold", Number("Keep boxes scoring above this (default 0.3); raise it for fewer, surer boxes.", 0, 1));

    private static readonly (string, JsonObject) TextThreshold = ("text_threshold", Number("Tokens scoring above this form each object's phrase (default 0.25).", 0, 1));

    private static readonly (string, JsonObject) MaxObjects = ("max_objects", Integer("Most objects to return, highest scores first (default and ceiling set by the server).", 1, 200));

    private static readonly (string, JsonObject) IncludeImage = ("include_image", new JsonObject { ["type"] = "boolean", ["description"] = "Also return the overlay as an image (at most 1024 pixels a side) where the host shows images (MCP)." });

    private static readonly (string, JsonObject) Boxes = ("boxes", new JsonObject
    {
        ["type"] = "array",
        ["description"] = "Boxes [x0, y0, x1, y1] in pixels, one object each (instead of a prompt).",
        ["maxItems"] = 20,
        ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" }, ["minItems"] = 4, ["maxItems"] = 4 },
    });

    private static readonly (string, JsonObject) Points = ("points", new JsonObject
    {
        ["type"] = "array",
        ["description"] = "Clicks [x, y, label] in pixels forming one object: label 1 is on the object, 0 is not (instead of a prompt).",
        ["maxItems"] = 20,
        ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" }, ["minItems"] = 2, ["maxItems"] = 3 },
    });

    private static (string, JsonObject) Prompt(bool required) =>
        ("prompt", Text("What to find: a phrase such as \"the bear\" or classes separated by '.', such as \"dog . cat\".", MaxPromptLength, required));

    private static JsonObject Text(string description, int maxLength, bool required) =>
        new() { ["type"] = "string", ["description"] = description, ["maxLength"] = maxLength, ["minLength"] = required ? 1 : 0, ["x-required"] = required };

    private static JsonObject Number(string description, double min, double max) =>
        new() { ["type"] = "number", ["description"] = description, ["minimum"] = min, ["maximum"] = max };

    private static JsonObject Integer(string description, long min, long max) =>
        new() { ["type"] = "integer", ["description"] = description, ["minimum"] = min, ["maximum"] = max };

    private static JsonElement Input(params (string Name, JsonObject Schema)[] parameters)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, schema) in parameters)
        {
            var copy = (JsonObject)schema.DeepClone();
            if (copy.Remove("x-required", out var r) && r!.GetValue<bool>())
            {
                required.Add(name);
            }

            if (copy["minLength"] is JsonValue min && min.GetValue<int>() == 0)
            {
                copy.Remove("minLength");
            }

            properties[name] = copy;
        }

        return JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required, ["additionalProperties"] = false });
    }

    private static readonly JsonElement ResultSchema = JsonSerializer.SerializeToElement(JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "image": { "type": "string", "description": "The input image." },
            "width": { "type": "integer" },
            "height": { "type": "integer" },
            "count": { "type": "integer", "description": "Objects found, before max_objects." },
            "objects": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "label": { "type": "string", "description": "The prompt's class the object matched." },
                  "score": { "type": "number" },
                  "box": { "type": "array", "items": { "type": "integer" }, "minItems": 4, "maxItems": 4, "description": "x0, y0, x1, y1 in pixels, clipped to the image." },
                  "area": { "type": ["integer", "null"], "description": "Mask pixels (null without a mask)." }
                },
                "required": ["label", "score", "box"]
              }
            },
            "files": { "type": "object", "description": "Files written, by kind: overlay, results, masks, cutouts, inpainted." },
            "notes": { "type": "array", "items": { "type": "string" } }
          },
          "required": ["image", "width", "height", "count", "objects", "files"]
        }
        """));

    private static readonly JsonElement DescriptionSchema = JsonSerializer.SerializeToElement(JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "image": { "type": "string" },
            "format": { "type": "string", "description": "PNG, JPEG, WEBP…" },
            "width": { "type": "integer", "description": "Width as stored in the file." },
            "height": { "type": "integer" },
            "orientation": { "type": "integer", "minimum": 1, "maximum": 8, "description": "EXIF orientation (1: as stored)." },
            "oriented_width": { "type": "integer", "description": "Width once the orientation is applied (what the other tools see)." },
            "oriented_height": { "type": "integer" },
            "bytes": { "type": "integer" }
          },
          "required": ["image", "format", "width", "height", "orientation", "oriented_width", "oriented_height", "bytes"]
        }
        """));
}
