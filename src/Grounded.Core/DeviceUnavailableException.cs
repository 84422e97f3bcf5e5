namespace Grounded;

/// <summary>The device asked for (cuda:N) cannot be used on this machine.</summary>
public sealed class DeviceUnavailableException : GroundedException
{
    /// <summary>Creates the exception.</summary>
    public DeviceUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ErrorKind Kind => ErrorKind.Usage;
}
