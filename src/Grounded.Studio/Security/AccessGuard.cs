using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Grounded.Studio.Security;

/// <summary>
/// Who may use the server. With a token, every request must carry it (bearer header, or the cookie the page gets by
/// opening the printed URL with <c>?token=</c> once). Always: a request from another site's page is refused (its
/// Origin, or Sec-Fetch-Site cross-site, gives it away), so a web page you visit cannot drive your models; and on
/// loopback only loopback host names are answered, which defeats DNS rebinding.
/// </summary>
internal sealed class AccessGuard(StudioOptions options)
{
    public const string CookieName = "grounded_token";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (options.IsLoopback && !IsLoopbackHost(request.Host.Host))
        {
            await Api.ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "This server answers only to localhost / 127.0.0.1.").ConfigureAwait(false);
            return;
        }

        if (IsCrossSite(request))
        {
            await Api.ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Requests from another site's page are refused.").ConfigureAwait(false);
            return;
        }

        if (options.Token is { } token)
        {
            if (request.Query.TryGetValue("token", out var query) && Matches(query.ToString(), token))
            {
                // The printed URL carries the token once; the page then holds it as an HTTP-only cookie.
                context.Response.Cookies.Append(CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = "/" });
            }
            else if (!Authorized(request, token))
            {
                await Api.ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "A token is required: open the URL the server printed, or send 'Authorization: Bearer TOKEN'.").ConfigureAwait(false);
                return;
            }
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.XFrameOptions = "DENY";
        await next(context).ConfigureAwait(false);
    }

    private static bool Authorized(HttpRequest request, string token)
    {
        string header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header[7..].Trim(), token))
        {
            return true;
        }

        return request.Cookies.TryGetValue(CookieName, out string? cookie) && Matches(cookie, token);
    }

    private static bool Matches(string given, string token) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool IsLoopbackHost(string host) => host is "localhost" or "127.0.0.1" or "[::1]" or "::1";

    private static bool IsCrossSite(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() == "cross-site")
        {
            return true;
        }

        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null" && HttpMethods.IsGet(request.Method))
        {
            return false;
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
