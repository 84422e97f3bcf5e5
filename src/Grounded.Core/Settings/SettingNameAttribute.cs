namespace Grounded.Settings;

/// <summary>
/// The name a setting, or an enum value of one, has in settings files, recipes, command-line values, agent
/// arguments and the web API (snake_case keys, lower-case values). Further names are accepted aliases.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class SettingNameAttribute(string name, params string[] aliases) : Attribute
{
    /// <summary>The name written and shown.</summary>
    public string Name { get; } = name;

    /// <summary>Other names that mean the same.</summary>
    public IReadOnlyList<string> Aliases { get; } = aliases;
}
