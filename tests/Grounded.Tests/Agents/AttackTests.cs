using System.Text.Json;
using Grounded.Agents;
using Grounded.Agents.Sandbox;
using Grounded.Onnx;
using Grounded.SemanticKernel;
using Grounded.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Grounded.Tests.Agents;

/// <summary>
/// The agent tools as an attacker calls them: special files, a link swapped while calls run, huge images, floods
/// of calls, output floods. Each ends in a readable error, the service keeps answering, nothing lands outside the output folder.
/// </summary>
public sealed class AttackTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grounded-attack-").FullName;

    private string Inputs => Path.Combine(_root, "inputs");

    private string Outputs => Path.Combine(_root, "outputs");

    public AttackTests()
    {
        Directory.CreateDirectory(Inputs);
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(Inputs, "cat.png"));
    }

    [Fact]
    public async Task A_character_device_in_an_allowed_folder_is_never_read()
    {
        // A folder of character devices allowed outright: /dev/zero and /dev/random would be endless reads.
        var devices = new FileSandbox(["/dev"], Outputs);
        foreach (string device in new[] { "/dev/zero", "/dev/random", "/dev/urandom" })
        {
            Assert.Contains("not a regular file", Assert.Throws<SandboxException>(() => devices.Read(device, 1 << 20)).Message, StringComparison.Ordinal);
        }

        // A device node made inside an allowed folder (/dev/zero's numbers), where the system lets us make one.
        var (code, _) = await Processes.RunAsync("mknod", Path.Combine(Inputs, "z.png"), "c", "1", "5");
        if (code == 0)
        {
            using var service = Service();
            string answer = await new GroundedPlugin(service).InvokeAsync("detect_objects", Args("z.png"));
            Assert.Contains("not a regular file", Error(answer), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_folder_swapped_for_a_link_while_calls_run_never_lets_a_read_out()
    {
        // Inside: swap/cat.png is the 450-pixel cat. Outside: the same name is a 400-pixel image.
        string swap = Path.Combine(Inputs, "swap"), parked = Path.Combine(Inputs, "parked"), secret = Path.Combine(_root, "secret");
        Directory.CreateDirectory(swap);
        Directory.CreateDirectory(secret);
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(swap, "cat.png"));
        File.Copy(Fixtures.Path("images", "astronaut.png"), Path.Combine(secret, "cat.png"));
        using var service = Service(o => o.MaxConcurrentCalls = 4);
        var plugin = new GroundedPlugin(service);
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Directory.Move(swap, parked);
                Directory.CreateSymbolicLink(swap, secret);
                Thread.Yield();
                Directory.Delete(swap);
                Directory.Move(parked, swap);
                Thread.Yield();
            }
        });

        var widths = new List<int>();
        int errors = 0;
        for (int i = 0; i < 510; i++)
        {
            using var doc = JsonDocument.Parse(await plugin.InvokeAsync("describe_image", new Dictionary<string, object?> { ["image"] = "swap/cat.png" }));
            if (doc.RootElement.TryGetProperty("error", out _))
            {
                errors++;
            }
            else
            {
                widths.Add(doc.RootElement.GetProperty("width").GetInt32());
            }
        }

        await stop.CancelAsync();
        await swapper;
        Assert.DoesNotContain(400, widths);
        Assert.NotEmpty(widths);
        Assert.True(errors > 0, "the swap never hit a call: the race was not exercised");
    }

    [Fact]
    public async Task A_huge_image_under_a_small_budget_is_refused_before_the_models_run()
    {
        using (var huge = new Image<Rgb24>(6000, 6600))
        {
            await huge.SaveAsPngAsync(Path.Combine(Inputs, "huge.png"));
        }

        using var masks = Service(o => o.MaxMaskPixels = 20_000_000);
        using var pixels = Service(o => o.MaxPixels = 10_000_000);

        string overMasks = await new GroundedPlugin(masks).InvokeAsync("segment_objects", Args("huge.png"));
        string overPixels = await new GroundedPlugin(pixels).InvokeAsync("detect_objects", Args("huge.png"));

        Assert.Contains("6000x6600: one full-resolution mask of it is over this server's budget", Error(overMasks), StringComparison.Ordinal);
        Assert.Contains("over the limit of 10000000 pixels", Error(overPixels), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Outputs));
    }

    [Fact]
    public async Task Thirty_calls_at_once_under_a_limit_of_two_are_served_or_told_to_retry()
    {
        using var service = Service(o =>
        {
            o.MaxConcurrentCalls = 2;
            o.MaxQueuedCalls = 4;
        });
        var plugin = new GroundedPlugin(service);

        // Thirty threads of their own, released together: on the thread pool the calls would arrive one by one as
        // it grows, and a fast machine would serve them all in turn.
        using var gate = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 30).Select(_ => Task.Factory.StartNew(() =>
        {
            gate.Wait();
            return plugin.InvokeAsync("segment_objects", Args("cat.png")).GetAwaiter().GetResult();
        }, TaskCreationOptions.LongRunning)).ToList();
        gate.Set();
        var answers = await Task.WhenAll(calls);

        var errors = answers.Select(Error).ToList();
        Assert.All(errors, e => Assert.True(e is null || e.StartsWith("Busy:", StringComparison.Ordinal), e));
        Assert.InRange(errors.Count(e => e is null), 2, 10);
        Assert.Null(Error(await plugin.InvokeAsync("segment_objects", Args("cat.png"))));
    }

    [Fact]
    public async Task Output_quotas_write_nothing_over_the_call_limit_and_keep_only_the_newest()
    {
        using var tiny = Service(o => o.MaxOutputBytesPerCall = 1024);
        string over = await new GroundedPlugin(tiny).InvokeAsync("segment_objects", Args("cat.png"));
        Assert.Contains("over the limit of 0.0 MB a call", Error(over), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Outputs));

        using var service = Service(o => o.MaxOutputFolders = 2);
        var plugin = new GroundedPlugin(service);
        string last = string.Empty;
        for (int i = 0; i < 4; i++)
        {
            last = await plugin.InvokeAsync("detect_objects", Args("cat.png"));
        }

        Assert.Equal(2, Directory.GetDirectories(Outputs).Length);
        Assert.Contains("older output folder(s) were removed", last, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(last);
        Assert.True(File.Exists(doc.RootElement.GetProperty("files").GetProperty("overlay").GetString()));
    }

    [Fact]
    public async Task Labels_are_clean_and_boxes_inside_the_image()
    {
        using var service = Service(o => o.Detect = o.Detect with { BoxThreshold = 0.3f, TextThreshold = 0.25f });
        string answer = await new GroundedPlugin(service).InvokeAsync("detect_objects", Args("cat.png", "a cat. a remote control."));

        using var doc = JsonDocument.Parse(answer);
        Assert.True(doc.RootElement.GetProperty("count").GetInt32() > 0, answer);
        foreach (var o in doc.RootElement.GetProperty("objects").EnumerateArray())
        {
            string label = o.GetProperty("label").GetString()!;
            Assert.DoesNotContain("[SEP]", label, StringComparison.Ordinal);
            Assert.DoesNotContain(label, char.IsControl);
            int[] box = [.. o.GetProperty("box").EnumerateArray().Select(v => v.GetInt32())];
            Assert.True(box[0] >= 0 && box[1] >= 0 && box[2] <= 450 && box[3] <= 300, string.Join(",", box));
        }
    }

    private GroundedAgentService Service(Action<GroundedAgentOptions>? configure = null)
    {
        var options = new GroundedAgentOptions
        {
            OutputFolder = Outputs,
            Detector = Fixtures.Path("gdino"),
            Segmenter = Fixtures.Path("sam"),
            Runtime = new RuntimeOptions { Device = ExecutionDevice.Cpu, IntraOpThreads = 1 },
            Detect = new Grounded.Detector.DetectOptions { BoxThreshold = 0.95f, TextThreshold = 0.9f },
        };
        options.AllowedReadFolders.Add(Inputs);
        configure?.Invoke(options);
        return new GroundedAgentService(options);
    }

    private static Dictionary<string, object?> Args(string image, string prompt = "a cat. a remote control.") => new() { ["image"] = image, ["prompt"] = prompt };

    private static string? Error(string answer)
    {
        using var doc = JsonDocument.Parse(answer);
        return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
    }

    public void Dispose() => Directory.Delete(_root, true);
}
