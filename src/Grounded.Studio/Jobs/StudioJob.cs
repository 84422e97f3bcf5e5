namespace Grounded.Studio.Jobs;

/// <summary>The state of a long job as a page sees it.</summary>
internal enum JobState
{
    Running,
    Done,
    Failed,
    Cancelled,
}

/// <summary>
/// A long job (segment-everything, an edit): its progress, a way to cancel it, and its result when done. The result
/// is a body and its content type (a JSON document or a PNG), kept in memory with the job.
/// </summary>
internal sealed class StudioJob(string id, string kind, string imageId) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private const int HistoryKept = 2000;
    private readonly Lock _lock = new();
    private readonly List<JobStatus> _history = [];
    private int _dropped;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _progress;
    private string _stage = "queued";

    public string Id { get; } = id;

    public string Kind { get; } = kind;

    public string ImageId { get; } = imageId;

    public long Finished { get; private set; }

    public JobState State { get; private set; } = JobState.Running;

    public string? Error { get; private set; }

    public (byte[] Body, string ContentType)? Result { get; private set; }

    public CancellationToken Token => _cancel.Token;

    public JobStatus Status()
    {
        lock (_lock)
        {
            return Snapshot();
        }
    }

    private JobStatus Snapshot() => new(Id, Kind, ImageId, State.ToString().ToLowerInvariant(), Math.Round(_progress, 4), _stage, Error);

    /// <summary>
    /// The states the job has been in from number <paramref name="from"/> on (each progress report and the end), and
    /// the number of the next: a follower that reads them in turn misses none, however fast the job went.
    /// </summary>
    public (IReadOnlyList<JobStatus> States, int Next) Since(int from)
    {
        lock (_lock)
        {
            int start = Math.Max(from, _dropped);
            return ([.. _history.Skip(start - _dropped)], _dropped + _history.Count);
        }
    }

    /// <summary>Completes when the job next changes (progress or end).</summary>
    public Task Changed()
    {
        lock (_lock)
        {
            return _changed.Task;
        }
    }

    public void Report(double progress, string stage)
    {
        lock (_lock)
        {
            if (State != JobState.Running)
            {
                return;
            }

            _progress = Math.Clamp(progress, _progress, 1);
            _stage = stage;
            Signal();
        }
    }

    public void Cancel() => _cancel.Cancel();

    public void Complete(byte[] body, string contentType) => End(JobState.Done, null, (body, contentType));

    public void Fail(string error) => End(JobState.Failed, error, null);

    public void Cancelled() => End(JobState.Cancelled, "cancelled", null);

    private void End(JobState state, string? error, (byte[], string)? result)
    {
        lock (_lock)
        {
            State = state;
            Error = error;
            Result = result;
            if (state == JobState.Done)
            {
                _progress = 1;
                _stage = "done";
            }

            Finished = Environment.TickCount64;
            Signal();
        }
    }

    private void Signal()
    {
        _history.Add(Snapshot());
        if (_history.Count > HistoryKept)
        {
            // A very long job keeps its latest states; a follower that far behind skips to them.
            _history.RemoveRange(0, HistoryKept / 2);
            _dropped += HistoryKept / 2;
        }

        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    public void Dispose() => _cancel.Dispose();
}

/// <summary>A job's state as JSON.</summary>
internal sealed record JobStatus(string Id, string Kind, string Image, string State, double Progress, string Stage, string? Error);
