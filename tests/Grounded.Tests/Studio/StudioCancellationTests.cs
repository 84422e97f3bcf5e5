using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grounded.Tests.Support;
using static Grounded.Tests.Studio.StudioApiTests;

namespace Grounded.Tests.Studio;

/// <summary>Measures this process's CPU time, so nothing else may run beside it.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>A busy server answers 429, and a cancelled job stops using the CPU within a second.</summary>
[Collection(nameof(RunsAlone))]
public class StudioCancellationTests
{
    [Fact]
    public async Task Busy_is_429_and_a_cancelled_job_frees_the_cpu_within_a_second()
    {
        using var factory = StudioFactory.Create(change: o => o with { MaxHeavyJobs = 1 });
        using var client = factory.CreateClient();
        string cat = Fixtures.Path("images", "cat.png");
        string id = JsonDocument.Parse(await (await client.PostAsync("/api/images", Form(cat))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // 64×64 points: far longer than this test, so it is surely running when the next calls come.
        var started = await client.PostAsync($"/api/images/{id}/everything", Json(new { points_per_side = 64 }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        string job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await StudioSafetyTests.WaitForAsync(client, job, s => s.GetProperty("progress").GetDouble() > 0);

        var busy = await client.PostAsync("/api/segment", Form(cat, ("prompt", "a cat")));
        await StudioSafetyTests.ErrorAsync(busy, HttpStatusCode.TooManyRequests);
        Assert.True(busy.Headers.RetryAfter is not null);

        var cancelAt = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/api/jobs/{job}")).StatusCode);
        var ended = await StudioSafetyTests.WaitForAsync(client, job, s => s.GetProperty("state").GetString() != "running");
        Assert.Equal("cancelled", ended.GetProperty("state").GetString());
        Assert.True(cancelAt.Elapsed < TimeSpan.FromSeconds(1), $"stopped after {cancelAt.Elapsed}");

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(1000);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Assert.True(used < TimeSpan.FromMilliseconds(600), $"{used.TotalMilliseconds} ms of CPU in the second after cancelling");

        // The slot is free again.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/segment", Form(cat, ("prompt", "a cat")))).StatusCode);
        await StudioSafetyTests.ErrorAsync(await client.GetAsync($"/api/jobs/{job}/result"), HttpStatusCode.Gone);
    }

}
