using System.Globalization;

namespace Grounded.Settings;

/// <summary>Range checks for settings records: each throws <see cref="InvalidSettingException"/> naming the setting.</summary>
internal static class Check
{
    public static float Probability(float value, string setting) =>
        value is >= 0f and <= 1f ? value : throw Out(setting, $"between 0 and 1", value);

    public static float Finite(float value, string setting, float min, float max) =>
        float.IsFinite(value) && value >= min && value <= max ? value : throw Out(setting, Between(min, max), value);

    public static double Finite(double value, string setting, double min, double max) =>
        double.IsFinite(value) && value >= min && value <= max ? value : throw Out(setting, Between(min, max), value);

    public static int Range(int value, string setting, int min, int max) =>
        value >= min && value <= max ? value : throw Out(setting, Between(min, max), value);

    public static T Defined<T>(T value, string setting)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new InvalidSettingException(setting, $"{setting} is {SettingNames.Choices(typeof(T))}; got {value}.");

    /// <summary>Threads beyond four per core only cost memory and time.</summary>
    public static int MaxThreads => Math.Max(4, Environment.ProcessorCount * 4);

    private static string Between(double min, double max) => string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}");

    private static InvalidSettingException Out(string setting, string range, double value) =>
        new(setting, string.Create(CultureInfo.InvariantCulture, $"{setting} must be {range}; got {value}."));
}
