using YamlDotNet.RepresentationModel;

namespace Grounded.Recipes;

/// <summary>
/// Applies request fields (a form's or a JSON body's, snake_case like the settings files: <c>box_threshold</c>,
/// <c>points_per_side</c>) onto a settings record, with the same conversions and range checks as a config file.
/// </summary>
public static class FieldBinder
{
    /// <summary>The record with the fields applied; fields not in <paramref name="allowed"/> are left to the caller.</summary>
    /// <exception cref="InvalidRequestException">A value of the wrong type or out of range, naming the field.</exception>
    public static T Bind<T>(T start, IReadOnlyDictionary<string, string> fields, IReadOnlyCollection<string> allowed)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(allowed);
        var node = new YamlMappingNode();
        foreach (var (key, value) in fields)
        {
            if (allowed.Contains(key) && !string.IsNullOrWhiteSpace(value))
            {
                node.Add(new YamlScalarNode(key), new YamlScalarNode(value.Trim()));
            }
        }

        if (node.Children.Count == 0)
        {
            return start;
        }

        try
        {
            return SettingsReader.Bind(node, start, "request", string.Empty, allowed);
        }
        catch (InvalidRequestException ex) when (ex.Message.StartsWith("'request' line ", StringComparison.Ordinal))
        {
            // Fields have no lines: the message is the part after "'request' line N: ".
            int colon = ex.Message.IndexOf(": ", StringComparison.Ordinal);
            throw new InvalidRequestException(colon > 0 ? ex.Message[(colon + 2)..] : ex.Message, ex);
        }
    }
}
