using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;
using Microsoft.AspNetCore.Routing;

namespace Grounded.Studio;

/// <summary>The page's files, embedded in the assembly: served from memory with their content types, nothing fetched from elsewhere.</summary>
internal static class EmbeddedPage
{
    private static readonly Lazy<Dictionary<string, (byte[] Body, string Type)>> Files = new(Load);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/docs", () => Serve("docs.html")).ExcludeFromDescription();
        app.MapGet("/static/{file}", (string file) => Serve(file)).ExcludeFromDescription();
    }

    private static IResult Serve(string file)
    {
        if (!Files.Value.TryGetValue(file, out var found))
        {
            return HttpResults.NotFound();
        }

        // The page's scripts may talk to this server only, and run no inline code.
        return new PageResult(found.Body, found.Type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string file = name["wwwroot/".Length..];
            files[file] = (copy.ToArray(), Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                _ => "application/octet-stream",
            });
        }

        return files;
    }

    private sealed class PageResult(byte[] body, string type) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            headers.CacheControl = "no-cache";
            httpContext.Response.ContentType = type;
            await httpContext.Response.Body.WriteAsync(body).ConfigureAwait(false);
        }
    }
}
