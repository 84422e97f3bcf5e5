using Grounded.Segmenter.Layouts;

namespace Grounded.Tests.Segmenter;

/// <summary>When an encoder run gives ONNX Runtime's arena growth back.</summary>
public sealed class EncoderArenaTests
{
    [Fact]
    public void The_first_run_gives_it_back_later_runs_one_at_a_time_keep_it()
    {
        var arena = new EncoderArena();

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
    public void A_run_that_starts_while_another_is_in_flight_gives_it_back()
    {
        var arena = new EncoderArena();
        arena.Start().Dispose();

        using var running = arena.Start();
        using var overlapping = arena.Start();

        Assert.False(running.Shrink);
        Assert.True(overlapping.Shrink);
    }
}
