using System.Globalization;
using System.Reflection;
using Grounded.Settings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Grounded.Recipes;

/// <summary>
/// Binds snake_case YAML (or JSON, which YAML reads) onto the settings records, starting from an existing value so
/// files, recipes and flags layer. Unknown keys, wrong types and out-of-range values are errors that name the file,
/// the line and the setting in plain words; the records' own checks decide what is in range.
/// </summary>
internal static class SettingsReader
{
    /// <summary>Reads a file's top-level mapping (an empty file is an empty mapping).</summary>
    public static YamlMappingNode ReadFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new InvalidRequestException($"{what} '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses text into its top-level mapping.</summary>
    public static YamlMappingNode Parse(string text, string name)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InvalidRequestException($"'{name}' line {ex.Start.Line}: {(ex.InnerException?.Message ?? ex.Message).Split('\n')[0]}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new YamlMappingNode();
        }

        return stream.Documents[0].RootNode as YamlMappingNode ?? throw Error(name, stream.Documents[0].RootNode, "the file must be a mapping of settings (key: value).");
    }

    /// <summary>Binds <paramref name="node"/> onto a copy of <paramref name="start"/>.</summary>
    /// <param name="node">The mapping.</param>
    /// <param name="start">The value the keys are applied to (it is not changed).</param>
    /// <param name="name">The file, for messages.</param>
    /// <param name="section">Where the mapping sits ("detect", "steps[2].inpaint"), for messages.</param>
    /// <param name="only">When given, the only keys allowed here.</param>
    public static T Bind<T>(YamlMappingNode node, T start, string name, string section, IReadOnlyCollection<string>? only = null)
        where T : class => (T)BindObject(typeof(T), node, start, name, section, only);

    /// <summary>A scalar's text, or an error naming what was expected.</summary>
    public static string Scalar(YamlNode node, string name, string key) =>
        node is YamlScalarNode { Value: { } v } ? v : throw Error(name, node, $"{key} must be a single value.");

    /// <summary>An error at a node: "'file' line N: message".</summary>
    public static InvalidRequestException Error(string name, YamlNode node, string message, Exception? inner = null) =>
        new($"'{name}' line {node.Start.Line}: {message}", inner);

    private static object BindObject(Type type, YamlMappingNode node, object start, string name, string section, IReadOnlyCollection<string>? only)
    {
        object target = Clone(start);
        var props = SettableProperties(type);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            string key = Scalar(keyNode, name, "a key");
            if (only is not null && !only.Contains(key))
            {
                throw Error(name, keyNode, $"unknown setting '{Where(section, key)}'; expected {string.Join(", ", only)}.");
            }

            if (props.FirstOrDefault(p => SettingNames.KeyOf(p) == key) is { } direct)
            {
                Set(target, direct, valueNode, name, Where(section, key));
                continue;
            }

            // Settings of an inline record (the runtime's device, threads…) sit at this level.
            var inline = props.Where(p => p.IsDefined(typeof(SettingsInlineAttribute)))
                .Select(p => (Owner: p, Inner: SettableProperties(p.PropertyType).FirstOrDefault(q => SettingNames.KeyOf(q) == key)))
                .FirstOrDefault(x => x.Inner is not null);
            if (inline.Inner is null)
            {
                var known = props.SelectMany(p => p.IsDefined(typeof(SettingsInlineAttribute)) ? SettableProperties(p.PropertyType) : [p]).Select(SettingNames.KeyOf);
                throw Error(name, keyNode, $"unknown setting '{Where(section, key)}'; expected {string.Join(", ", known)}.");
            }

            object owner = Clone(inline.Owner.GetValue(target)!);
            Set(owner, inline.Inner, valueNode, name, Where(section, key));
            inline.Owner.SetValue(target, owner);
        }

        return target;
    }

    private static void Set(object target, PropertyInfo property, YamlNode value, string name, string key)
    {
        object? converted = Convert(property.PropertyType, property.GetValue(target), value, name, key);
        try
        {
            property.SetValue(target, converted);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is InvalidSettingException invalid)
        {
            throw Error(name, value, invalid.Message, invalid);
        }
    }

    private static object? Convert(Type type, object? current, YamlNode node, string name, string key)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" } && (underlying is not null || !type.IsValueType))
        {
            return null;
        }

        type = underlying ?? type;
        if (IsRecord(type))
        {
            var mapping = node as YamlMappingNode ?? throw Error(name, node, $"{key} must be a section of settings (key: value).");
            return BindObject(type, mapping, current ?? Activator.CreateInstance(type)!, name, key, null);
        }

        string text = Scalar(node, name, key);
        try
        {
            if (type == typeof(string))
            {
                return text;
            }

            if (type.IsEnum)
            {
                return SettingNames.Parse(type, text, key);
            }

            if (type == typeof(ExecutionDevice))
            {
                return ExecutionDevice.Parse(text);
            }

            if (type == typeof(bool))
            {
                return bool.TryParse(text, out bool b) ? b : throw Error(name, node, $"{key} must be true or false; got '{text}'.");
            }

            if (type == typeof(int) || type == typeof(long))
            {
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) && (type == typeof(long) || n is >= int.MinValue and <= int.MaxValue)
                    ? System.Convert.ChangeType(n, type, CultureInfo.InvariantCulture)
                    : throw Error(name, node, $"{key} must be a whole number; got '{text}'.");
            }

            if (type == typeof(float) || type == typeof(double))
            {
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                    ? System.Convert.ChangeType(d, type, CultureInfo.InvariantCulture)
                    : throw Error(name, node, $"{key} must be a number; got '{text}'.");
            }
        }
        catch (InvalidSettingException ex)
        {
            throw Error(name, node, ex.Message, ex);
        }

        throw new NotSupportedException($"Settings of type {type.Name} cannot be read from files.");
    }

    private static bool IsRecord(Type type) => type.IsClass && type != typeof(string) && type.GetMethod("<Clone>$") is not null;

    private static object Clone(object value) => value.GetType().GetMethod("<Clone>$")?.Invoke(value, null) ?? value;

    private static PropertyInfo[] SettableProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && !IsUnreadable(p.PropertyType))];

    // Point grids, loggers and the like are for code, not for files.
    private static bool IsUnreadable(Type type) => type.IsInterface || (type.IsGenericType && !type.IsValueType);

    private static string Where(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";
}
