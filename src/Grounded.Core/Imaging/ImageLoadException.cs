namespace Grounded.Imaging;

/// <summary>An input image could not be read: missing, corrupt, truncated, unsupported or too large.</summary>
public sealed class ImageLoadException : GroundedException
{
    /// <summary>Creates the exception.</summary>
    public ImageLoadException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ErrorKind Kind => ErrorKind.Input;
}
