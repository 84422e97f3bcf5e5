using System.Globalization;
using Grounded.Studio;
using Grounded.Tests.Support;
using Microsoft.Extensions.Hosting;
using PuppeteerSharp;
using PuppeteerSharp.Input;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace Grounded.Tests.Studio;

/// <summary>
/// The page in a real headless Chromium against a real server: prompt, click, hover, everything, cut-out download.
/// Screenshots are kept in tests/TestResults/studio/ (or GROUNDED_SCREENSHOTS).
/// </summary>
public sealed class StudioBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("GROUNDED_SCREENSHOTS") is { Length: > 0 } s
        ? s
        : System.IO.Path.Combine(Fixtures.Root, "..", "TestResults", "studio");

    private readonly string _downloads = Directory.CreateTempSubdirectory("grounded-downloads-").FullName;
    private IHost? _server;
    private IBrowser? _browser;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        if (HeadlessChromium.Unavailable is { } why)
        {
            output.WriteLine($"SKIPPED: {why}");
            return;
        }

        Directory.CreateDirectory(Screenshots);
        _server = StudioServer.CreateHostBuilder(StudioFactory.OptionsFor(segmenter: "sam-official") with { Port = 0 }).Build();
        await _server.StartAsync();
        _url = StudioServer.Addresses(_server)[0];
        _browser = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        if (_server is not null)
        {
            await _server.StopAsync();
            _server.Dispose();
        }

        Directory.Delete(_downloads, recursive: true);
    }

    private async Task<IPage> OpenAsync(string image)
    {
        var page = await _browser!.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add(e.Message.Text);
            }
        };
        page.PageError += (_, e) => output.WriteLine($"page error: {e.Message}");
        await page.Client.SendAsync("Page.setDownloadBehavior", new Dictionary<string, object> { ["behavior"] = "allow", ["downloadPath"] = _downloads });
        await page.GoToAsync(_url + "/", WaitUntilNavigation.Networkidle0);
        var input = await page.QuerySelectorAsync("#file");
        await input.UploadFileAsync(Fixtures.Path("images", image));
        await page.WaitForFunctionAsync("() => document.body.dataset.image && document.body.dataset.busy === 'false'", new WaitForFunctionOptions { Timeout = 60_000 });
        return page;
    }

    private static Task<int> PaintedPixelsAsync(IPage page) =>
        page.EvaluateExpressionAsync<int>("(() => { const c = document.getElementById('overlay'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()");

    private static Task<string> OverlayHashAsync(IPage page) =>
        page.EvaluateExpressionAsync<string>("(() => { const c = document.getElementById('overlay'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = 0; for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) | 0; return String(h); })()");

    /// <summary>Where an image pixel is on the screen.</summary>
    private static async Task<(decimal X, decimal Y)> ScreenPointAsync(IPage page, double x, double y)
    {
        var box = await (await page.QuerySelectorAsync("#overlay")).BoundingBoxAsync();
        var size = await page.EvaluateExpressionAsync<int[]>("[document.getElementById('overlay').width, document.getElementById('overlay').height]");
        return (box.X + (decimal)(x / size[0]) * box.Width, box.Y + (decimal)(y / size[1]) * box.Height);
    }

    private Task ShotAsync(IPage page, string name) => page.ScreenshotAsync(System.IO.Path.Combine(Screenshots, name + ".png"));

    [Fact]
    public async Task Prompt_click_everything_and_cut_out_in_the_page()
    {
        if (_browser is null)
        {
            return;
        }

        var page = await OpenAsync("cat.png");
        Assert.Equal(0, await PaintedPixelsAsync(page));

        // Text: masks and labelled boxes are drawn.
        await page.TypeAsync("#prompt", "a cat");
        await page.ClickAsync("#run-text");
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.objects) > 0 && document.body.dataset.busy === 'false'", new WaitForFunctionOptions { Timeout = 60_000 });
        int textPixels = await PaintedPixelsAsync(page);
        Assert.True(textPixels > 1000, $"{textPixels} pixels painted");
        await ShotAsync(page, "1-text");

        // Hover & Click: a click gives three candidates and changes what is drawn.
        await page.ClickAsync("[data-mode=click]");
        string before = await OverlayHashAsync(page);
        var (cx, cy) = await ScreenPointAsync(page, 300, 160);
        await page.Mouse.ClickAsync(cx, cy);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#candidates button').length === 3 && document.body.dataset.busy === 'false'", new WaitForFunctionOptions { Timeout = 60_000 });
        Assert.NotEqual(before, await OverlayHashAsync(page));
        await ShotAsync(page, "2-click");
        string found = await page.EvaluateExpressionAsync<string>("document.body.dataset.objects");
        await page.ClickAsync("#keep");
        await page.WaitForFunctionAsync($"() => Number(document.body.dataset.objects) === {found} + 1");

        // Everything: a progress bar, then a mask per region, each its own colour.
        await page.ClickAsync("[data-mode=everything]");
        // The fixture model's weights are random: its masks pass only thresholds of zero.
        await page.EvaluateExpressionAsync("document.getElementById('points-per-side').value = '8'; document.getElementById('pred-iou').value = '0'; document.getElementById('stability').value = '0'");
        await page.ClickAsync("#run-everything");
        await page.WaitForFunctionAsync("() => document.body.dataset.job === 'done'", new WaitForFunctionOptions { Timeout = 120_000 });
        int objects = int.Parse(await page.EvaluateExpressionAsync<string>("document.body.dataset.objects"), CultureInfo.InvariantCulture);
        Assert.True(objects > int.Parse(found, CultureInfo.InvariantCulture) + 1, $"{objects} objects after everything");
        await ShotAsync(page, "3-everything");

        // Cut-Outs: the selected objects (the text and the click ones) as a PNG, transparent outside their masks.
        await page.ClickAsync("[data-mode=cutouts]");
        await page.WaitForSelectorAsync("#cutout-preview:not([hidden])", new WaitForSelectorOptions { Timeout = 30_000 });
        await page.ClickAsync("#cutout-download");
        string file = await WaitForDownloadAsync("cat.cutout.png");
        using (var png = Image.Load<Rgba32>(file))
        {
            int transparent = 0, opaque = 0;
            png.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    foreach (var p in rows.GetRowSpan(y))
                    {
                        transparent += p.A == 0 ? 1 : 0;
                        opaque += p.A == 255 ? 1 : 0;
                    }
                }
            });
            Assert.True(transparent > 0 && opaque > 0, $"{transparent} transparent, {opaque} opaque pixels");
        }

        await ShotAsync(page, "4-cutouts");

        // Box: a dragged rectangle gives a mask.
        await page.ClickAsync("[data-mode=box]");
        string beforeBox = await OverlayHashAsync(page);
        var (bx0, by0) = await ScreenPointAsync(page, 150, 60);
        var (bx1, by1) = await ScreenPointAsync(page, 400, 280);
        await page.Mouse.MoveAsync(bx0, by0);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(bx1, by1, new MoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#candidates button').length === 3 && document.body.dataset.busy === 'false'", new WaitForFunctionOptions { Timeout = 60_000 });
        Assert.NotEqual(beforeBox, await OverlayHashAsync(page));
        await page.ClickAsync("#box-keep");

        // Edit: remove the selected objects with the classical fill; the result replaces the view, "Show before" goes back.
        await page.ClickAsync("[data-mode=edit]");
        // Only the boxed object: the random-weight fixture's forty speckled masks, dilated, would cover the whole image.
        await page.EvaluateExpressionAsync("document.querySelectorAll('#objects input[type=checkbox]').forEach((c, i, all) => { if (c.checked !== (i === all.length - 1)) c.click(); })");
        await page.ClickAsync("#run-edit");
        await page.WaitForFunctionAsync("() => document.body.dataset.job === 'done' && !document.getElementById('edited').hidden", new WaitForFunctionOptions { Timeout = 120_000 });
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('edited').naturalWidth === 450"));
        int changed = await page.EvaluateExpressionAsync<int>("""
            (() => {
              const img = document.getElementById('edited'), c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight), x = c.getContext('2d');
              x.drawImage(img, 0, 0);
              const after = x.getImageData(0, 0, c.width, c.height).data;
              const before = document.getElementById('picture').getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let n = 0; for (let i = 0; i < after.length; i += 4) if (after[i] !== before[i] || after[i + 1] !== before[i + 1] || after[i + 2] !== before[i + 2]) n++;
              return n;
            })()
            """);
        Assert.True(changed > 100, $"{changed} pixels changed by the removal");
        await ShotAsync(page, "6-edit");
        await page.ClickAsync("#before-after");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('edited').hidden && !document.getElementById('canvases').hidden"));
    }

    [Fact]
    public async Task The_hover_preview_follows_the_pointer()
    {
        if (_browser is null)
        {
            return;
        }

        var page = await OpenAsync("astronaut.png");
        await page.ClickAsync("[data-mode=click]");
        var seen = new HashSet<string>();
        foreach (var (x, y) in new[] { (120.0, 200.0), (380.0, 120.0), (250.0, 420.0) })
        {
            var (sx, sy) = await ScreenPointAsync(page, x, y);
            await page.Mouse.MoveAsync(sx, sy, new MoveOptions { Steps = 4 });
            await page.WaitForFunctionAsync(
                $"() => {{ const p = (document.body.dataset.preview || '').split(',').map(Number); return Math.abs(p[0] - {x.ToString(CultureInfo.InvariantCulture)}) < 3 && Math.abs(p[1] - {y.ToString(CultureInfo.InvariantCulture)}) < 3; }}",
                new WaitForFunctionOptions { Timeout = 30_000 });
            await Task.Delay(100);
            Assert.True(await PaintedPixelsAsync(page) > 0);
            seen.Add(await OverlayHashAsync(page));
        }

        Assert.Equal(3, seen.Count);
        await ShotAsync(page, "5-hover");
    }

    private async Task<string> WaitForDownloadAsync(string name)
    {
        string path = System.IO.Path.Combine(_downloads, name);
        for (int i = 0; i < 300 && !File.Exists(path); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(path), $"no {name} in {string.Join(", ", Directory.GetFiles(_downloads))}");
        return path;
    }
}
