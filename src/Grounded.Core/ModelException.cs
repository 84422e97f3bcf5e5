namespace Grounded;

/// <summary>A model is missing, cannot be fetched, cannot be read, or breaks its contract.</summary>
public class ModelException : GroundedException
{
    /// <summary>Creates the exception.</summary>
    public ModelException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override ErrorKind Kind => ErrorKind.Model;
}
