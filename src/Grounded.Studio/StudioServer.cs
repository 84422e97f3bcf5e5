using System.Net;
using Grounded.Agents.Sandbox;
using Grounded.Studio.Api;
using Grounded.Studio.Jobs;
using Grounded.Studio.Security;
using Grounded.Studio.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grounded.Studio;

/// <summary>
/// Grounded Studio: the page and the JSON API over one set of shared models. <see cref="CreateHostBuilder"/> gives a
/// host that listens with Kestrel (tests swap in a test server); the caller runs and disposes it.
/// </summary>
public static class StudioServer
{
    /// <summary>The host for <paramref name="options"/>; checks them first (a public address needs a token).</summary>
    /// <exception cref="InvalidRequestException">The options are unsafe or out of range.</exception>
    public static IHostBuilder CreateHostBuilder(StudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new HostBuilder()
            // The host's own start-up failures are reported by the caller in one line; its log would add a stack trace.
            .ConfigureLogging(logging => logging.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Extensions.Hosting", LogLevel.None))
            .ConfigureWebHost(web => web
                .UseContentRoot(AppContext.BaseDirectory)
                .UseKestrel(kestrel =>
                {
                    kestrel.AddServerHeader = false;
                    kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1 << 20);
                    if (options.Host is "localhost")
                    {
                        kestrel.ListenLocalhost(options.Port);
                    }
                    else
                    {
                        kestrel.Listen(IPAddress.Parse(options.Host.Trim('[', ']')), options.Port);
                    }
                })
                .ConfigureServices(services => AddStudio(services, options))
                .Configure(UseStudio));
    }

    /// <summary>The URLs the host listens on once started.</summary>
    public static IReadOnlyList<string> Addresses(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var server = host.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        return server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.ToList() ?? [];
    }

    /// <summary>Opens the detector and segmenter in the background so the first request does not wait for them; failures are left for a request to report.</summary>
    public static async Task WarmUpAsync(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var models = host.Services.GetRequiredService<StudioModels>();
        try
        {
            await Task.WhenAll(models.DetectorAsync(CancellationToken.None), models.SegmenterAsync(CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GroundedException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            // The first request that needs the model opens it again and says what is wrong.
        }
    }

    private static void AddStudio(IServiceCollection services, StudioOptions options)
    {
        services.AddRouting();
        // The document names fields as the API reads them: snake_case, the CLI's options.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Grounded Studio API";
            document.Info.Description = "Text prompts, clicks and boxes to masks; segment-everything; remove and replace. Field names are the CLI's options in snake_case.";
            return Task.CompletedTask;
        }));
        services.Configure<FormOptions>(f =>
        {
            f.MultipartBodyLengthLimit = options.MaxUploadBytes + (1 << 20);
            f.ValueLengthLimit = 1 << 22;
            f.ValueCountLimit = 256;
        });
        services.AddSingleton(options);
        services.AddSingleton<StudioModels>();
        services.AddSingleton(new ImageStore(options.MaxImages, options.ImageTimeToLive));
        services.AddSingleton(new WorkSlots(options.MaxHeavyJobs, options.MaxLightCalls));
        services.AddSingleton<JobBoard>();
        services.AddSingleton(_ => Sandbox(options));
        services.AddSingleton(sp => new StudioService(options, sp.GetRequiredService<StudioModels>(), sp.GetRequiredService<ImageStore>(), sp.GetRequiredService<WorkSlots>(), sp.GetRequiredService<JobBoard>(), sp.GetRequiredService<SandboxHolder>().Sandbox));
        services.AddSingleton<AccessGuard>();
    }

    private static SandboxHolder Sandbox(StudioOptions options)
    {
        if (options.AllowRead.Count == 0)
        {
            return new SandboxHolder(null, null);
        }

        // The sandbox wants an output folder; reading needs none, so it gets a private empty one, removed at the end.
        string? scratch = options.OutputFolder is null ? Directory.CreateTempSubdirectory("grounded-studio-").FullName : null;
        return new SandboxHolder(new FileSandbox(options.AllowRead, options.OutputFolder ?? scratch!), scratch);
    }

    private static void UseStudio(IApplicationBuilder app)
    {
        var guard = app.ApplicationServices.GetRequiredService<AccessGuard>();
        app.Use(async (context, next) =>
        {
            // The server's own time for the request, for the page's developer tools and the hover benchmark.
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["Server-Timing"] = FormattableString.Invariant($"app;dur={System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.00}");
                return Task.CompletedTask;
            });
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (ApiErrors.StatusOf(ex) >= 500)
                {
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Grounded.Studio").LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                }

                await ApiErrors.WriteAsync(context, ex).ConfigureAwait(false);
            }
        });
        // A status without a body (no such route, wrong method or content type) still gets its one-line JSON error.
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            int status = http.Response.StatusCode;
            return ApiErrors.WriteAsync(http, status, $"{status} {ReasonPhrases.GetReasonPhrase(status)}: {http.Request.Method} {http.Request.Path}");
        });
        app.Use(guard.InvokeAsync);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapOpenApi();
            StudioEndpoints.Map(endpoints);
            EmbeddedPage.Map(endpoints);
        });
    }

    /// <summary>The read sandbox (null without --allow-read) and the scratch folder it was given, removed with the server.</summary>
    internal sealed record SandboxHolder(FileSandbox? Sandbox, string? Scratch) : IDisposable
    {
        public void Dispose()
        {
            if (Scratch is not null && Directory.Exists(Scratch))
            {
                Directory.Delete(Scratch, recursive: true);
            }
        }
    }
}
