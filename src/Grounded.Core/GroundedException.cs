using Grounded.Settings;

namespace Grounded;

/// <summary>
/// Base of every error Grounded reports on purpose. Front ends turn these into one-line messages by their
/// <see cref="Kind"/>; anything else is a bug and may carry a stack trace.
/// </summary>
public class GroundedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GroundedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>What kind of failure this is (default: a runtime failure).</summary>
    public virtual ErrorKind Kind => ErrorKind.Runtime;

    /// <summary>The kind of any exception: Grounded's own by their kind, settings errors as usage, cancellation as cancelled.</summary>
    public static ErrorKind KindOf(Exception exception) => exception switch
    {
        OperationCanceledException => ErrorKind.Cancelled,
        GroundedException g => g.Kind,
        InvalidSettingException => ErrorKind.Usage,
        _ => ErrorKind.Runtime,
    };
}
