using Grounded.Segmenter.Layouts;

namespace Grounded.Tests.Segmenter;

/// <summary>One encoder run at a time, and when a run gives ONNX Runtime's arena growth back.</summary>
public sealed class EncoderArenaTests
{
    [Fact]
    public void The_first_run_gives_it_back_later_runs_one_at_a_time_keep_it()
    {
        using var arena = new EncoderArena();

        using (var first = arena.Start())
        {
            Assert.True(first.Shrink);
        }

        using (var second = arena.Start())
        {
            Assert.False(second.Shrink);
        }

        using var third = arena.Start();
        Assert.False(third.Shrink);
    }

    [Fact]
    public async Task A_run_waits_for_the_one_in_flight_and_keeps_the_arena()
    {
        using var arena = new EncoderArena();
        arena.Start().Dispose();
        var running = arena.Start();

        var waiting = Task.Run(() =>
        {
            using var run = arena.Start();
            return run.Shrink;
        });
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        running.Dispose();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_cancelled_wait_leaves_the_encoder_to_the_run_in_flight()
    {
        using var arena = new EncoderArena();
        using var running = arena.Start();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => arena.Start(cancelled.Token));
    }
}
