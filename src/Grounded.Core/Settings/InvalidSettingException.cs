namespace Grounded.Settings;

/// <summary>
/// A setting is out of its range or not one of its names. <see cref="ArgumentException.ParamName"/> is the
/// setting's key (box_threshold), which front ends turn into their own spelling (--box-threshold).
/// </summary>
public sealed class InvalidSettingException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception.</summary>
    public InvalidSettingException(string setting, string message)
        : base(setting, message)
    {
        Setting = setting;
    }

    /// <summary>The setting's key.</summary>
    public string Setting { get; }

    /// <inheritdoc />
    public override string Message => base.Message.Split(" (Parameter", 2)[0];
}
