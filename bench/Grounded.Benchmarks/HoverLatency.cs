using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Grounded.Settings;
using Grounded.Studio;
using Microsoft.Extensions.Hosting;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Grounded.Benchmarks;

/// <summary>
/// Studio's hover latency: from a pointer position to a preview mask for a cached 1920×1080 image on the real-size
/// MobileSAM (../shared/bench-models), as the server sees it (Server-Timing), as a client on loopback sees it, and as
/// the page sees it in Debian's Chromium when it is installed; beside raw ONNX Runtime decoder calls in the same run.
/// </summary>
internal static class HoverLatency
{
    public static async Task RunAsync(int moves)
    {
        string mobileSam = SyntheticImages.Find("..", "shared", "bench-models", "mobilesam-random");
        var (raw, rawSmall) = RawDecoder(Path.Combine(mobileSam, "decoder.onnx"), moves);

        var options = new StudioOptions
        {
            Port = 0,
            Settings = GroundedSettings.Default with { Models = ModelChoices.Default with { Segmenter = mobileSam }, Runtime = RuntimeOptions.Default with { Device = ExecutionDevice.Cpu } },
            Resolve = (value, _, _) => Task.FromResult((value!, (string?)null)),
        };
        using var server = StudioServer.CreateHostBuilder(options).Build();
        await server.StartAsync();
        string url = StudioServer.Addresses(server)[0];
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var png = new MemoryStream();
        Outputs.ResultImages.WriteImage(png, SyntheticImages.FullHd());
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "image", "hd.png" } };
        var uploadClock = Stopwatch.StartNew();
        var upload = await http.PostAsync("/api/images", form);
        string uploaded = await upload.Content.ReadAsStringAsync();
        Console.WriteLine($"upload + encode 1920x1080: {uploadClock.Elapsed.TotalMilliseconds:0} ms");
        string id = System.Text.Json.JsonDocument.Parse(uploaded).RootElement.GetProperty("id").GetString()!;

        var random = new Random(7);
        var server_ = new List<double>();
        var client = new List<double>();
        for (int i = -10; i < moves; i++)
        {
            string body = FormattableString.Invariant($"{{\"points\":\"{random.Next(1920)},{random.Next(1080)}:1\",\"multimask\":true}}");
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync($"/api/images/{id}/preview", new StringContent(body, Encoding.UTF8, "application/json"));
            _ = await response.Content.ReadAsStringAsync();
            double elapsed = clock.Elapsed.TotalMilliseconds;
            if (i >= 0)
            {
                client.Add(elapsed);
                server_.Add(double.Parse(response.Headers.GetValues("Server-Timing").Single().Split("dur=")[1], CultureInfo.InvariantCulture));
            }
        }

        var browser = await BrowserRoundTripsAsync(url, id, moves);
        await server.StopAsync();

        Console.WriteLine($"hover preview, MobileSAM (random weights, real size), 1920x1080, {moves} pointer positions, {Environment.ProcessorCount} cores:");
        Row("raw ONNX Runtime decoder call (orig_im_size 1080x1920)", raw, raw);
        Row("raw ONNX Runtime decoder call (orig_im_size 9x16)", rawSmall, raw);
        Row("server time (Server-Timing)", server_, raw);
        Row("round trip, HttpClient on loopback", client, raw);
        if (browser is not null)
        {
            Row("round trip in Chromium (fetch + JSON + decode)", browser, raw);
        }
        else
        {
            Console.WriteLine("  (no Chromium at /usr/bin/chromium: browser round trip not measured)");
        }
    }

    private static void Row(string what, List<double> times, List<double> raw)
    {
        double p50 = Percentile(times, 0.5), p95 = Percentile(times, 0.95);
        Console.WriteLine(FormattableString.Invariant($"  {what,-58} p50 {p50,7:0.0} ms  p95 {p95,7:0.0} ms  ({p50 / Percentile(raw, 0.5):0.00}x raw p50)"));
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>One decoder call per position with the official feeds, straight on an InferenceSession.</summary>
    private static (List<double> Full, List<double> Small) RawDecoder(string decoderPath, int moves)
    {
        using var options = new SessionOptions();
        using var session = new InferenceSession(decoderPath, options);
        var random = new Random(7);
        var embeddings = new DenseTensor<float>(Enumerable.Range(0, 256 * 64 * 64).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(), [1, 256, 64, 64]);
        List<double> Measure(float height, float width)
        {
            var times = new List<double>();
            for (int i = -10; i < moves; i++)
            {
                float scale = 1024f / 1920;
                var inputs = new List<NamedOnnxValue>
                {
                    NamedOnnxValue.CreateFromTensor("image_embeddings", embeddings),
                    NamedOnnxValue.CreateFromTensor("point_coords", new DenseTensor<float>(new[] { random.Next(1920) * scale, random.Next(1080) * scale, 0f, 0f }, [1, 2, 2])),
                    NamedOnnxValue.CreateFromTensor("point_labels", new DenseTensor<float>(new[] { 1f, -1f }, [1, 2])),
                    NamedOnnxValue.CreateFromTensor("mask_input", new DenseTensor<float>(new float[256 * 256], [1, 1, 256, 256])),
                    NamedOnnxValue.CreateFromTensor("has_mask_input", new DenseTensor<float>(new[] { 0f }, [1])),
                    NamedOnnxValue.CreateFromTensor("orig_im_size", new DenseTensor<float>(new[] { height, width }, [2])),
                };
                var clock = Stopwatch.StartNew();
                using (session.Run(inputs))
                {
                }

                if (i >= 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            return times;
        }

        return (Measure(1080, 1920), Measure(9, 16));
    }

    private static async Task<List<double>?> BrowserRoundTripsAsync(string url, string id, int moves)
    {
        if (!File.Exists("/usr/bin/chromium"))
        {
            return null;
        }

        await using var browser = await PuppeteerSharp.Puppeteer.LaunchAsync(new PuppeteerSharp.LaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        await using var page = await browser.NewPageAsync();
        await page.GoToAsync(url + "/");
        string script = $$"""
            async () => {
              const { decodeBits } = await import('/static/masks.js');
              const times = [];
              for (let i = -10; i < {{moves}}; i++) {
                const body = JSON.stringify({ points: `${Math.floor(Math.random() * 1920)},${Math.floor(Math.random() * 1080)}:1`, multimask: true });
                const start = performance.now();
                const r = await (await fetch('/api/images/{{id}}/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
                decodeBits(r.candidates[r.best].bits, r.width * r.height);
                if (i >= 0) times.push(performance.now() - start);
              }
              return times;
            }
            """;
        return [.. await page.EvaluateFunctionAsync<double[]>(script)];
    }
}
