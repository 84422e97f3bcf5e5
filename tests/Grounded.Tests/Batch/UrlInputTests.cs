using Grounded.Batch;
using Grounded.Batch.Inputs;
using Grounded.Detector;
using Grounded.Imaging;
using Grounded.Outputs;
using Grounded.Pipeline;
using Grounded.Tests.Support;

namespace Grounded.Tests.Batch;

/// <summary>http(s) images: retried when the failure is transient, a per-image error when not, never a crashed run.</summary>
public sealed class UrlInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-url-").FullName;
    private readonly LoopbackFileServer _server = new();

    [Fact]
    public async Task Slow_flaky_missing_and_cut_images_each_end_as_they_should()
    {
        byte[] png = File.ReadAllBytes(Fixtures.Path("images", "synthetic.png"));
        foreach (string name in new[] { "/ok.png", "/slow.png", "/flaky.png", "/cut.png", "/stalled.png" })
        {
            _server.Add(name, png);
        }

        _server.Delays["/slow.png"] = TimeSpan.FromMilliseconds(800);
        _server.Delays["/stalled.png"] = TimeSpan.FromSeconds(20);
        _server.CutPath = "/flaky.png";
        _server.CutNextResponseAfter = 100;
        _server.AlwaysCut["/cut.png"] = true;
        var inputs = new[] { "/ok.png", "/slow.png", "/flaky.png", "/missing.png", "/cut.png", "/stalled.png" }
            .Select(p => new BatchInput(ImageKey.FromUrl(_server.BaseUrl + p), _server.BaseUrl + p)).ToList();
        var runner = Runner(new UrlFetchOptions { Attempts = 2, AttemptTimeout = TimeSpan.FromSeconds(3), FirstRetryDelay = TimeSpan.FromMilliseconds(50) });

        var done = new List<string>();
        var summary = await runner.RunAsync(inputs, r => done.Add(r.ImagePath));

        Assert.Equal([.. inputs.Take(3).Select(i => i.Source)], done);
        var errors = summary.Failures.ToDictionary(f => Path.GetFileName(f.Path), f => f.Error);
        Assert.Contains("HTTP 404", errors["missing.png"], StringComparison.Ordinal);
        Assert.Contains("cut short", errors["cut.png"], StringComparison.Ordinal);
        Assert.Contains("no complete answer within 3 s", errors["stalled.png"], StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests["/flaky.png"]);
        Assert.Equal(2, _server.Requests["/cut.png"]);
        Assert.Equal(1, _server.Requests["/missing.png"]);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "127.0.0.1", "ok", "results.json")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "127.0.0.1", "missing")));

        // A rerun takes the finished URLs from their results without fetching them again.
        int before = _server.Requests["/ok.png"];
        var rerun = await Runner(UrlFetchOptions.Default with { Attempts = 1, AttemptTimeout = TimeSpan.FromSeconds(1) }).RunAsync(inputs.Take(3).ToList());
        Assert.Equal(3, rerun.Resumed);
        Assert.Equal(before, _server.Requests["/ok.png"]);
    }

    [Fact]
    public async Task An_image_over_the_size_limit_is_not_read_to_the_end()
    {
        _server.Add("/big.png", new byte[1 << 20]);
        var runner = new BatchRunner(Pipeline(), new BatchOptions
        {
            Output = new OutputOptions { Directory = null, Parallelism = 1 },
            ImageLoad = ImageLoadOptions.Default with { MaxFileBytes = 1000 },
        });

        var summary = await runner.RunAsync([new BatchInput("big", _server.BaseUrl + "/big.png")]);

        Assert.Contains("over the limit of 1000", Assert.Single(summary.Failures).Error, StringComparison.Ordinal);
    }

    private BatchRunner Runner(UrlFetchOptions fetch) => new(Pipeline(), new BatchOptions
    {
        Output = new OutputOptions { Directory = Path.Combine(_dir, "out"), Parallelism = 3, Formats = OutputFormats.Json },
        Fetch = fetch,
    });

    private static GroundedPipeline Pipeline() =>
        GroundedPipeline.Builder().Detect(new FakeDetector(() => Task.FromResult(FakeDetections.Two())), DetectionRequest.For("dog")).Build();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, true);
    }
}
