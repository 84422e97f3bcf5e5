namespace Grounded.Agents;

/// <summary>Every call slot is taken and the queue is full or the wait ran out: the caller should retry later.</summary>
public sealed class AgentBusyException(string message) : GroundedException(message);
