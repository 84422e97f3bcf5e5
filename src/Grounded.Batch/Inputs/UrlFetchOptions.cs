namespace Grounded.Batch.Inputs;

/// <summary>How http(s) images are fetched.</summary>
public sealed record UrlFetchOptions
{
    /// <summary>Defaults: 4 attempts, 30 s each, back-off from 1 s.</summary>
    public static UrlFetchOptions Default { get; } = new();

    /// <summary>Attempts in all, first included (1 to 20).</summary>
    public int Attempts
    {
        get;
        init => field = value is >= 1 and <= 20 ? value : throw new ArgumentOutOfRangeException(nameof(Attempts), value, "Attempts must be 1 to 20.");
    } = 4;

    /// <summary>Time one attempt may take, body included.</summary>
    public TimeSpan AttemptTimeout
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value : throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), value, "The attempt timeout must be above zero and at most an hour.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the second attempt; it doubles (with jitter) for each further one.</summary>
    public TimeSpan FirstRetryDelay
    {
        get;
        init => field = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(5) ? value : throw new ArgumentOutOfRangeException(nameof(FirstRetryDelay), value, "The retry delay must be 0 to 5 minutes.");
    } = TimeSpan.FromSeconds(1);
}
