namespace Grounded.Models;

/// <summary>A model set is missing and cannot be downloaded; the message says what to fetch by hand and where to put it.</summary>
public sealed class ModelsUnavailableException : ModelException
{
    /// <summary>Creates the exception.</summary>
    public ModelsUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
