using System.Text;
using System.Text.Json;
using Grounded.Studio.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;
using Microsoft.AspNetCore.Routing;

namespace Grounded.Studio.Api;

/// <summary>The JSON API: one-shot calls equal to the CLI's, sessions over uploaded images, and long jobs.</summary>
internal static class StudioEndpoints
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // Every endpoint reads forms and JSON alike (RequestFields); any other body is answered by RequestFields itself.
    private static readonly string[] FormTypes = ["multipart/form-data", "application/json", "application/x-www-form-urlencoded"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").DisableAntiforgery();

        api.MapPost("/segment", async (HttpRequest request, StudioService studio, CancellationToken ct) =>
                Document(await studio.SegmentOnceAsync(await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)))
            .Accepts<SegmentForm>(FormTypes[0], FormTypes[1..]).Produces(200, contentType: "application/json")
            .WithSummary("Text → boxes → masks, or points/box → masks: the document 'grounded segment --json' prints.");
        api.MapPost("/detect", async (HttpRequest request, StudioService studio, CancellationToken ct) =>
                Document(await studio.DetectOnceAsync(await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)))
            .Accepts<DetectForm>(FormTypes[0], FormTypes[1..]).Produces(200, contentType: "application/json")
            .WithSummary("Boxes for a text prompt: the document 'grounded detect --json' prints.");
        api.MapPost("/everything", async (HttpRequest request, StudioService studio, CancellationToken ct) =>
                Document(await studio.EverythingOnceAsync(await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)))
            .Accepts<EverythingForm>(FormTypes[0], FormTypes[1..]).Produces(200, contentType: "application/json")
            .WithSummary("Segment everything: the document 'grounded everything --json' prints.");

        api.MapPost("/images", async (HttpRequest request, StudioService studio, CancellationToken ct) =>
                HttpResults.Json(await studio.UploadAsync(await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false), Json, statusCode: 201))
            .Accepts<UploadForm>(FormTypes[0], FormTypes[1..]).Produces<ImageInfo>(201)
            .WithSummary("Upload an image (or open one of the allowed folders by name) once; its embedding is computed now and reused by every prompt.");
        api.MapGet("/images/{id}", (string id, StudioService studio) => HttpResults.Json(studio.Describe(id), Json))
            .Produces<ImageInfo>().WithSummary("An image the server holds.");
        api.MapDelete("/images/{id}", (string id, StudioService studio) => studio.Store.Remove(id) ? HttpResults.NoContent() : HttpResults.NotFound())
            .WithSummary("Forget an image.");
        api.MapGet("/images/{id}/pixels", (string id, StudioService studio) =>
            {
                var entry = studio.Store.Get(id);
                using var png = new MemoryStream();
                Outputs.ResultImages.WriteImage(png, entry.Image);
                return HttpResults.File(png.ToArray(), "image/png");
            })
            .WithSummary("The image as the models see it (EXIF orientation applied), as PNG.");
        api.MapPost("/images/{id}/segment", async (string id, HttpRequest request, StudioService studio, CancellationToken ct) =>
                Document(await studio.SegmentAsync(id, await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)))
            .Accepts<SegmentForm>(FormTypes[0], FormTypes[1..]).Produces(200, contentType: "application/json")
            .WithSummary("Segment a held image (text prompt, or points/box); a moved threshold re-runs no model.");
        api.MapPost("/images/{id}/detect", async (string id, HttpRequest request, StudioService studio, CancellationToken ct) =>
                Document(await studio.DetectAsync(id, await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)))
            .Accepts<DetectForm>(FormTypes[0], FormTypes[1..]).Produces(200, contentType: "application/json")
            .WithSummary("Boxes for a held image; the detector runs once per prompt.");
        api.MapPost("/images/{id}/preview", async (string id, HttpRequest request, StudioService studio, CancellationToken ct) =>
                HttpResults.Json(await studio.PreviewAsync(id, await RequestFields.ReadAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false), Json))
            .Accepts<SegmentForm>(FormTypes[0], FormTypes[1..]).Produces<PreviewJson>()
            .WithSummary("Hover preview: the low-resolution masks for points/box (one decoder call, no upscaling).");
        api.MapPost("/images/{id}/everything", async (string id, HttpRequest request, StudioService studio, CancellationToken ct) =>
                Accepted(studio.StartEverything(id, await RequestFields.ReadAsync(request, ct).ConfigureAwait(false))))
            .Accepts<EverythingForm>(FormTypes[0], FormTypes[1..]).Produces<JobStatus>(202)
            .WithSummary("Start segment-everything on a held image; follow /api/jobs/{job}/events.");
        api.MapPost("/images/{id}/edit", async (string id, HttpRequest request, StudioService studio, CancellationToken ct) =>
                Accepted(studio.StartEdit(id, await RequestFields.ReadAsync(request, ct).ConfigureAwait(false))))
            .Accepts<EditBody>(FormTypes[0], FormTypes[1..]).Produces<JobStatus>(202)
            .WithSummary("Remove (classical, lama) or replace (sd) what the objects cover; the result is a PNG.");
        api.MapPost("/images/{id}/export/{format}", async (string id, string format, HttpRequest request, StudioService studio, CancellationToken ct) =>
            {
                var (body, type, name) = studio.Export(id, format, await RequestFields.ReadAsync(request, ct).ConfigureAwait(false));
                return HttpResults.File(body, type, name);
            })
            .Accepts<EditBody>(FormTypes[0], FormTypes[1..])
            .WithSummary("What is on screen as a file: overlay, masks, cutout, results or coco.");

        api.MapGet("/files", (StudioService studio) => HttpResults.Json(new Dictionary<string, object> { ["files"] = studio.ListAllowed() }, Json))
            .WithSummary("Images in the --allow-read folders, by name.");
        api.MapGet("/status", (StudioService studio) => HttpResults.Json(Status(studio), Json))
            .WithSummary("Models, counters and limits.");

        api.MapGet("/jobs/{id}", (string id, StudioService studio) => HttpResults.Json(studio.Jobs.Get(id).Status(), Json))
            .Produces<JobStatus>().WithSummary("A job's state and progress.");
        api.MapDelete("/jobs/{id}", (string id, StudioService studio) =>
            {
                var job = studio.Jobs.Get(id);
                job.Cancel();
                return HttpResults.Json(job.Status(), Json, statusCode: 202);
            })
            .WithSummary("Cancel a job; it stops within a second.");
        api.MapGet("/jobs/{id}/result", (string id, StudioService studio) =>
            {
                var job = studio.Jobs.Get(id);
                return job.Result is var (body, type)
                    ? HttpResults.File(body, type)
                    : HttpResults.Json(new Dictionary<string, string> { ["error"] = job.Error ?? "The job has not finished." }, Json, statusCode: job.State == JobState.Running ? 409 : 410);
            })
            .WithSummary("A finished job's result (JSON document or PNG).");
        api.MapGet("/jobs/{id}/events", Events)
            .Produces(200, contentType: "text/event-stream")
            .WithSummary("Server-sent events: the job's state on every change until it ends.");
    }

    private static IResult Document(string json) => HttpResults.Text(json, "application/json", Encoding.UTF8);

    private static IResult Accepted(StudioJob job) => HttpResults.Json(job.Status(), Json, statusCode: 202);

    private static async Task Events(string id, HttpContext context, StudioService studio, CancellationToken ct)
    {
        var job = studio.Jobs.Get(id);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        // Every state from the start (or after the Last-Event-ID a reconnecting EventSource sends), none skipped.
        int next = int.TryParse(context.Request.Headers["Last-Event-ID"], out int last) ? last + 1 : 0;
        while (!ct.IsCancellationRequested)
        {
            var changed = job.Changed();
            var (states, following) = job.Since(next);
            foreach (var status in states)
            {
                await context.Response.WriteAsync($"id: {next++}\ndata: {JsonSerializer.Serialize(status, Json)}\n\n", ct).ConfigureAwait(false);
            }

            next = following;
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            if (job.Status().State != "running" && job.Since(next).States.Count == 0)
            {
                return;
            }

            // A comment line every 15 s keeps proxies from closing a quiet stream.
            await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds(15), ct)).ConfigureAwait(false);
            if (!changed.IsCompleted)
            {
                await context.Response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
            }
        }
    }

    private static Dictionary<string, object?> Status(StudioService studio) => new()
    {
        ["detector"] = studio.Options.Settings.Models.Detector ?? "default",
        ["segmenter"] = studio.Options.Settings.Models.Segmenter ?? "default",
        ["encoder_runs"] = studio.Models.EncoderRuns,
        ["detector_runs"] = studio.Models.DetectorRuns,
        ["images"] = studio.Store.Count,
        ["jobs_running"] = studio.Jobs.Running,
        ["can_open_files"] = studio.Options.AllowRead.Count > 0,
        ["limits"] = new Dictionary<string, object>
        {
            ["max_upload_bytes"] = studio.Options.MaxUploadBytes,
            ["max_pixels"] = studio.Options.MaxPixels,
            ["max_images"] = studio.Options.MaxImages,
            ["image_ttl_minutes"] = studio.Options.ImageTimeToLive.TotalMinutes,
            ["max_heavy_jobs"] = studio.Options.MaxHeavyJobs,
        },
    };
}
