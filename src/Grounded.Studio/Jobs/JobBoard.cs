using System.Collections.Concurrent;
using Grounded.Studio.Sessions;

namespace Grounded.Studio.Jobs;

/// <summary>
/// The long jobs: started in the background with a heavy slot held for their whole run, followed by pages through
/// polling or server-sent events, cancelled on request (the work stops at its next check, well within a second),
/// and forgotten some minutes after they end (at most <see cref="Kept"/> finished jobs are held).
/// </summary>
internal sealed class JobBoard(WorkSlots slots) : IDisposable
{
    private const int Kept = 32;
    private static readonly TimeSpan FinishedTimeToLive = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, StudioJob> _jobs = new(StringComparer.Ordinal);

    public int Running => _jobs.Values.Count(j => j.State == JobState.Running);

    /// <summary>Starts a job, or throws busy when every heavy slot is taken.</summary>
    public StudioJob Start(string kind, string imageId, Func<StudioJob, Task<(byte[] Body, string ContentType)>> work)
    {
        var slot = slots.EnterHeavy();
        Sweep();
        var job = new StudioJob(ImageStore.NewId(), kind, imageId);
        _jobs[job.Id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                var (body, type) = await work(job).ConfigureAwait(false);
                job.Complete(body, type);
            }
            catch (OperationCanceledException) when (job.Token.IsCancellationRequested)
            {
                job.Cancelled();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                job.Fail(Api.ApiErrors.OneLine(ex));
            }
            finally
            {
                slot.Dispose();
            }
        }, CancellationToken.None);
        return job;
    }

    public StudioJob Get(string id) =>
        _jobs.TryGetValue(id, out var job) ? job : throw new StudioNotFoundException($"No job '{ImageStore.Shown(id)}': it never ran here, or it ended more than {FinishedTimeToLive.TotalMinutes:0} minutes ago.");

    private void Sweep()
    {
        long now = Environment.TickCount64;
        var finished = _jobs.Values.Where(j => j.State != JobState.Running).OrderByDescending(j => j.Finished).ToList();
        foreach (var job in finished.Skip(Kept).Concat(finished.Where(j => now - j.Finished > FinishedTimeToLive.TotalMilliseconds)))
        {
            if (_jobs.TryRemove(job.Id, out _))
            {
                job.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var job in _jobs.Values)
        {
            job.Cancel();
        }
    }
}
