namespace Grounded;

/// <summary>
/// Base of every error Grounded reports on purpose. Front ends (CLI, plugin) turn these into one-line
/// messages; anything else is a bug and may carry a stack trace.
/// </summary>
public class GroundedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GroundedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
