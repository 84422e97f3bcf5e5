namespace Grounded.Agents.Sandbox;

/// <summary>A caller asked for a file it may not touch, or one that cannot be used.</summary>
public sealed class SandboxException(string message) : GroundedException(message);
