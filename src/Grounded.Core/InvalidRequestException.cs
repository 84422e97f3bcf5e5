namespace Grounded;

/// <summary>The caller asked for something that cannot be done as asked: an empty prompt, a malformed setting.</summary>
public sealed class InvalidRequestException : GroundedException
{
    /// <summary>Creates the exception.</summary>
    public InvalidRequestException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ErrorKind Kind => ErrorKind.Usage;
}
