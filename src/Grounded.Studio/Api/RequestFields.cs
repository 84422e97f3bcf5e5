using System.Globalization;
using System.Text.Json;
using Grounded.Geometry;
using Grounded.Segmenter;
using Microsoft.AspNetCore.Http;

namespace Grounded.Studio.Api;

/// <summary>
/// A request's fields, from a multipart/urlencoded form or a JSON object (numbers, booleans and strings alike), with
/// the uploaded image when there is one. Field names are the settings' snake_case keys, as the CLI's flags.
/// </summary>
internal sealed class RequestFields
{
    private const int MaxFieldLength = 1 << 20;

    private RequestFields(Dictionary<string, string> values, IFormFile? image, JsonElement? json)
    {
        Values = values;
        Image = image;
        Json = json;
    }

    public IReadOnlyDictionary<string, string> Values { get; }

    public IFormFile? Image { get; }

    /// <summary>The JSON body, when the request was JSON (for structured fields such as masks).</summary>
    public JsonElement? Json { get; }

    public static async Task<RequestFields> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw new StudioTooLargeException($"The form is too large or malformed: {ex.Message}");
            }

            foreach (var (key, value) in form)
            {
                values[key] = Checked(key, value.ToString());
            }

            return new RequestFields(values, form.Files.GetFile("image"), null);
        }

        if (request.ContentLength is 0 || request.ContentType is null)
        {
            return new RequestFields(values, null, null);
        }

        if (!request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"Send a form (multipart/form-data) or a JSON object, not '{request.ContentType.Split(';')[0]}'.");
        }

        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidRequestException($"The body is not valid JSON: {ex.Message.Split('.')[0]}.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("The body must be a JSON object of fields.");
        }

        foreach (var property in root.EnumerateObject())
        {
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => null,
            };
            if (text is not null)
            {
                values[property.Name] = Checked(property.Name, text);
            }
        }

        return new RequestFields(values, null, root);
    }

    public string? Text(string name) => Values.TryGetValue(name, out string? v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    public bool Flag(string name) => Text(name) switch
    {
        null => false,
        "true" or "True" or "1" or "on" or "yes" => true,
        "false" or "False" or "0" or "off" or "no" => false,
        var other => throw new InvalidRequestException($"{name} must be true or false, not '{Shown(other)}'."),
    };

    public int? Int(string name, int min, int max)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new InvalidRequestException($"{name} must be a whole number from {min} to {max}, not '{Shown(text)}'.");
    }

    /// <summary>The SAM prompt of <c>points</c> (<c>X,Y:L;X,Y:L</c>) and <c>box</c> (<c>X0,Y0,X1,Y1</c>), or null when neither is given.</summary>
    public IReadOnlyList<SamPrompt>? SamPrompts()
    {
        var points = Text("points") is { } p ? p.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        var boxes = Text("box") is { } b ? b.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        if (points.Length > 64 || boxes.Length > 64)
        {
            throw new InvalidRequestException("At most 64 points and 64 boxes per request.");
        }

        // As the CLI's --points/--box: points and at most one box form one object; boxes alone give one object each.
        var parsedBoxes = boxes.Select(BoxXyxy.Parse).ToList();
        return SamPrompt.Combine([.. points.Select(PromptPoint.Parse)], parsedBoxes, "points", "box");
    }

    private static string Checked(string name, string value) =>
        value.Length <= MaxFieldLength ? value : throw new StudioTooLargeException($"The field '{Shown(name)}' is longer than {MaxFieldLength} characters.");

    internal static string Shown(string text)
    {
        string clean = new([.. text.Take(60).Select(c => char.IsControl(c) ? ' ' : c)]);
        return text.Length > 60 ? clean + "…" : clean;
    }
}
