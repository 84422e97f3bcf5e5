namespace Grounded.Studio;

/// <summary>An image or job id the server does not hold (HTTP 404).</summary>
internal sealed class StudioNotFoundException(string message) : GroundedException(message)
{
    public override ErrorKind Kind => ErrorKind.Usage;
}

/// <summary>Every slot for this kind of work is taken (HTTP 429 with Retry-After).</summary>
internal sealed class StudioBusyException(string message) : GroundedException(message);

/// <summary>A request larger than the server accepts (HTTP 413).</summary>
internal sealed class StudioTooLargeException(string message) : GroundedException(message)
{
    public override ErrorKind Kind => ErrorKind.Input;
}
