namespace Grounded.Studio.Jobs;

/// <summary>Progress delivered on the reporting thread, at once and in order.</summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
