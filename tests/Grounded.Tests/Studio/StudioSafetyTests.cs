using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grounded.Studio;
using Grounded.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static Grounded.Tests.Studio.StudioApiTests;

namespace Grounded.Tests.Studio;

/// <summary>Bad images and fields, limits, the token, cross-site requests, busy answers and cancellation.</summary>
public sealed class StudioSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grounded-studio-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected) => Error(response, expected);

    private static async Task<JsonElement> Error(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.DoesNotContain("\n", error.GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return error;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Bad_images_and_fields_are_one_line_400s()
    {
        using var factory = StudioFactory.Create();
        using var client = factory.CreateClient();
        string cat = Fixtures.Path("images", "cat.png");
        byte[] png = File.ReadAllBytes(cat);

        Assert.Contains("image", (await Error(await client.PostAsync("/api/segment", Form(Write("corrupt.png", [1, 2, 3, 4, 5])) is var f1 ? AddPrompt(f1) : null), HttpStatusCode.BadRequest)).GetString(), StringComparison.OrdinalIgnoreCase);
        await Error(await client.PostAsync("/api/segment", AddPrompt(Form(Write("truncated.png", png[..(png.Length / 2)])))), HttpStatusCode.BadRequest);
        await Error(await client.PostAsync("/api/segment", Form(Write("empty.png", []), ("prompt", "a cat"))), HttpStatusCode.BadRequest);
        Assert.Contains("prompt is empty", (await Error(await client.PostAsync("/api/segment", Form(cat, ("prompt", "   "))), HttpStatusCode.BadRequest)).GetString(), StringComparison.Ordinal);
        Assert.Contains("box_threshold", (await Error(await client.PostAsync("/api/segment", Form(cat, ("prompt", "a cat"), ("box_threshold", "2"))), HttpStatusCode.BadRequest)).GetString(), StringComparison.Ordinal);
        Assert.Contains("box_threshold", (await Error(await client.PostAsync("/api/segment", Form(cat, ("prompt", "a cat"), ("box_threshold", "lots"))), HttpStatusCode.BadRequest)).GetString(), StringComparison.Ordinal);
        Assert.Contains("point", (await Error(await client.PostAsync("/api/segment", Form(cat, ("points", "a,b:1"))), HttpStatusCode.BadRequest)).GetString(), StringComparison.OrdinalIgnoreCase);
        await Error(await client.PostAsync("/api/segment", Form(cat, ("prompt", "a cat"), ("points", "10,10"))), HttpStatusCode.BadRequest);
        await Error(await client.PostAsync("/api/segment", Form(cat, ("multimask", "maybe"), ("points", "10,10"))), HttpStatusCode.BadRequest);
        await Error(await client.PostAsync("/api/segment", new StringContent("{")), HttpStatusCode.UnsupportedMediaType);
        await Error(await client.PostAsync("/api/images/0123456789abcdef0123456789abcdef/segment", new StringContent("{", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Error(await client.PostAsync("/api/images/0123456789abcdef0123456789abcdef/segment", Json(new { prompt = "a cat" })), HttpStatusCode.NotFound);
        await Error(await client.GetAsync("/api/jobs/nope"), HttpStatusCode.NotFound);

        // No detection is an empty result, not an error.
        string none = await (await client.PostAsync("/api/segment", Form(cat, ("prompt", "a cat"), ("box_threshold", "0.99")))).Content.ReadAsStringAsync();
        Assert.Empty(JsonDocument.Parse(none).RootElement.GetProperty("objects").EnumerateArray());
    }

    private static MultipartFormDataContent AddPrompt(MultipartFormDataContent form)
    {
        form.Add(new StringContent("a cat"), "prompt");
        return form;
    }

    [Fact]
    public async Task Size_and_pixel_limits_refuse_before_decoding()
    {
        using var factory = StudioFactory.Create(change: o => o with { MaxUploadBytes = 200_000, MaxPixels = 100_000 });
        using var client = factory.CreateClient();
        using (var big = new Image<Rgb24>(400, 300))
        {
            big.SaveAsPng(Path.Combine(_dir, "big.png"));
        }

        var pixels = await Error(await client.PostAsync("/api/images", Form(Path.Combine(_dir, "big.png"))), HttpStatusCode.BadRequest);
        Assert.Contains("pixels", pixels.GetString(), StringComparison.OrdinalIgnoreCase);
        var random = new byte[300_000];
        Random.Shared.NextBytes(random);
        await Error(await client.PostAsync("/api/images", Form(Write("huge.png", random))), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public void A_public_address_needs_a_token()
    {
        var options = StudioFactory.OptionsFor() with { Host = "0.0.0.0" };
        var ex = Assert.Throws<InvalidRequestException>(() => StudioServer.CreateHostBuilder(options));
        Assert.Contains("--token", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidRequestException>(() => StudioServer.CreateHostBuilder(options with { Token = "short" }));
        Assert.NotNull(StudioServer.CreateHostBuilder(options with { Token = "0123456789abcdef-long-enough" }));
    }

    [Fact]
    public async Task The_token_is_required_by_header_or_cookie()
    {
        const string token = "s3cret-token-for-tests-0001";
        using var factory = StudioFactory.Create(change: o => o with { Token = token });
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });

        await Error(await client.GetAsync("/api/status"), HttpStatusCode.Unauthorized);
        await Error(await client.GetAsync("/"), HttpStatusCode.Unauthorized);
        await Error(await client.GetAsync("/api/status?token=wrong-token-wrong-token"), HttpStatusCode.Unauthorized);
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        }

        // The printed URL sets an HTTP-only cookie; later requests need nothing else.
        var page = await client.GetAsync($"/?token={token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("httponly", string.Join(";", page.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/status")).StatusCode);
    }

    [Fact]
    public async Task Another_sites_page_and_a_rebound_host_name_are_refused()
    {
        using var factory = StudioFactory.Create();
        using var client = factory.CreateClient();
        using (var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/segment") { Content = Form(Fixtures.Path("images", "cat.png"), ("prompt", "a cat")) })
        {
            crossSite.Headers.Add("Origin", "https://evil.example");
            await Error(await client.SendAsync(crossSite), HttpStatusCode.Forbidden);
        }

        using (var fetchMetadata = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            fetchMetadata.Headers.Add("Sec-Fetch-Site", "cross-site");
            await Error(await client.SendAsync(fetchMetadata), HttpStatusCode.Forbidden);
        }

        using (var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/status"))
        {
            rebound.Headers.Host = "attacker.example";
            await Error(await client.SendAsync(rebound), HttpStatusCode.BadRequest);
        }

        using var sameSite = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        sameSite.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(sameSite)).StatusCode);
    }

    internal static async Task<JsonElement> WaitForAsync(HttpClient client, string job, Func<JsonElement, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{job}")).RootElement;
            if (done(status))
            {
                return status;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"job still {status}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Files_are_opened_only_by_name_inside_the_allowed_folders()
    {
        string allowed = Directory.CreateDirectory(Path.Combine(_dir, "photos")).FullName;
        File.Copy(Fixtures.Path("images", "cat.png"), Path.Combine(allowed, "cat.png"));
        File.WriteAllText(Path.Combine(_dir, "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(allowed, "escape.png"), Path.Combine(_dir, "secret.txt"));
        using var factory = StudioFactory.Create(change: o => o with { AllowRead = [allowed] });
        using var client = factory.CreateClient();

        var files = JsonDocument.Parse(await client.GetStringAsync("/api/files")).RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("photos/cat.png", files);
        var opened = await client.PostAsync("/api/images", Json(new { name = "photos/cat.png" }));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal(450, JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("width").GetInt32());

        foreach (string name in new[] { "photos/../secret.txt", "photos/escape.png", "/etc/passwd", "photos//etc/passwd", "other/cat.png", "photos/missing.png", "photos/cat.png\0.txt" })
        {
            var refused = await Error(await client.PostAsync("/api/images", Json(new { name })), HttpStatusCode.BadRequest);
            Assert.DoesNotContain(_dir, refused.GetString(), StringComparison.Ordinal);
        }
    }
}
