using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Grounded.Settings;

/// <summary>
/// Setting names in one place: the snake_case key of a property, and the names of enum values (with their
/// aliases). Every front end parses and prints setting values through here, so "agnostic" means the same in a
/// recipe, a flag and an agent call.
/// </summary>
public static class SettingNames
{
    private static readonly ConcurrentDictionary<Type, (string Name, string[] Accepted, object Value)[]> EnumNames = new();

    /// <summary>The key of a settings property: its <see cref="SettingNameAttribute"/>, else its name in snake_case.</summary>
    public static string KeyOf(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.GetCustomAttribute<SettingNameAttribute>()?.Name ?? SnakeCase(property.Name);
    }

    /// <summary>The key of a settings property, by type and property name.</summary>
    public static string KeyOf<T>(string propertyName) => KeyOf(typeof(T).GetProperty(propertyName) ?? throw new ArgumentException($"{typeof(T).Name} has no property {propertyName}.", nameof(propertyName)));

    /// <summary>"BoxThreshold" → "box_threshold".</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>The name of any enum value as settings write it ([Flags] values as a comma-separated list).</summary>
    public static string NameOf(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var table = Table(value.GetType());
        if (value.GetType().IsDefined(typeof(FlagsAttribute)))
        {
            long bits = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            return string.Join(",", table.Where(e => Convert.ToInt64(e.Value, CultureInfo.InvariantCulture) is long b && b != 0 && (b & (b - 1)) == 0 && (bits & b) == b).Select(e => e.Name));
        }

        return table.FirstOrDefault(e => e.Value.Equals(value)).Name ?? value.ToString();
    }

    /// <summary>
    /// A settings record as "key=value" pairs in declaration order, numbers in invariant culture and enums by their
    /// setting names: a stable text for run identities and logs.
    /// </summary>
    public static string Describe(object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var parts = new List<string>();
        foreach (var p in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            object? v = p.GetValue(record);
            string text = v switch
            {
                null => "null",
                Enum e => NameOf(e),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                string s => s,
                _ when p.PropertyType.IsInterface || (p.PropertyType.IsGenericType && !p.PropertyType.IsValueType) => string.Empty,
                _ => v.ToString() ?? string.Empty,
            };
            if (text.Length > 0)
            {
                parts.Add($"{KeyOf(p)}={text}");
            }
        }

        return string.Join(" ", parts);
    }

    /// <summary>Every accepted name of an enum, for messages: "none, class or agnostic".</summary>
    public static string Choices(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        var names = Table(enumType).Select(e => e.Name).ToArray();
        return names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }

    /// <summary>Parses an enum value by name or alias (case-insensitive); an unknown name names the setting and the choices.</summary>
    /// <exception cref="InvalidSettingException">The name is not one of the enum's.</exception>
    public static TEnum Parse<TEnum>(string text, string setting)
        where TEnum : struct, Enum => (TEnum)Parse(typeof(TEnum), text, setting);

    /// <summary>Parses an enum value by name or alias; <c>[Flags]</c> enums take a comma-separated list.</summary>
    /// <exception cref="InvalidSettingException">A name is not one of the enum's.</exception>
    public static object Parse(Type enumType, string text, string setting)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        ArgumentNullException.ThrowIfNull(text);
        if (enumType.IsDefined(typeof(FlagsAttribute)))
        {
            long bits = 0;
            foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                bits |= Convert.ToInt64(One(enumType, part, setting), System.Globalization.CultureInfo.InvariantCulture);
            }

            return Enum.ToObject(enumType, bits);
        }

        return One(enumType, text.Trim(), setting);
    }

    private static object One(Type enumType, string text, string setting)
    {
        foreach (var (_, accepted, value) in Table(enumType))
        {
            if (accepted.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new InvalidSettingException(setting, $"{setting} is {Choices(enumType)}; got '{text}'.");
    }

    private static (string Name, string[] Accepted, object Value)[] Table(Type enumType) => EnumNames.GetOrAdd(enumType, static t =>
        [.. t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f, attribute: f.GetCustomAttribute<SettingNameAttribute>()))
            .Where(x => x.attribute is not null)
            .Select(x => (x.attribute!.Name, (string[])[x.attribute.Name, .. x.attribute.Aliases], x.f.GetValue(null)!))]);
}
