namespace Grounded;

/// <summary>What kind of failure an error is: the one taxonomy every front end maps to its own answer (exit code, HTTP status, tool error).</summary>
public enum ErrorKind
{
    /// <summary>Something went wrong while running (a bug, a full disk): exit 1.</summary>
    Runtime,

    /// <summary>The request or a setting cannot be done as asked: exit 2.</summary>
    Usage,

    /// <summary>An input image cannot be read: exit 3.</summary>
    Input,

    /// <summary>A model is missing, cannot be fetched, or breaks its contract: exit 4.</summary>
    Model,

    /// <summary>The work was cancelled: exit 130.</summary>
    Cancelled,
}
