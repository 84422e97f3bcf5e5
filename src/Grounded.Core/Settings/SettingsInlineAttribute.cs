namespace Grounded.Settings;

/// <summary>The settings record under this property is written at its parent's level (no section of its own).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SettingsInlineAttribute : Attribute
{
}
