namespace Grounded.Tests.Support;

/// <summary>Runs work, lets the tasks it left behind finish and be collected, and returns every exception no one observed.</summary>
internal static class UnobservedExceptions
{
    public static async Task<IReadOnlyList<Exception>> DuringAsync(Func<Task> work)
    {
        var unobserved = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> handler = (_, e) =>
        {
            lock (unobserved)
            {
                unobserved.Add(e.Exception);
            }
        };
        TaskScheduler.UnobservedTaskException += handler;
        try
        {
            await work();
            await Task.Delay(300);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= handler;
        }

        return unobserved;
    }
}
