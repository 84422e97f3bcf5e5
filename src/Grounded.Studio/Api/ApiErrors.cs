using System.Text.Json;
using Grounded.Models;
using Grounded.Settings;
using Microsoft.AspNetCore.Http;

namespace Grounded.Studio.Api;

/// <summary>
/// Errors as the API answers them: a status by the one error taxonomy and <c>{"error": "one line"}</c>, never a
/// stack trace; the server's own folders are not named.
/// </summary>
internal static class ApiErrors
{
    public static int StatusOf(Exception ex) => ex switch
    {
        StudioNotFoundException => StatusCodes.Status404NotFound,
        StudioBusyException => StatusCodes.Status429TooManyRequests,
        StudioTooLargeException => StatusCodes.Status413PayloadTooLarge,
        Agents.Sandbox.SandboxException => StatusCodes.Status400BadRequest,
        BadHttpRequestException bad => bad.StatusCode,
        ModelsUnavailableException => StatusCodes.Status503ServiceUnavailable,
        InvalidSettingException => StatusCodes.Status400BadRequest,
        _ => GroundedException.KindOf(ex) switch
        {
            ErrorKind.Usage or ErrorKind.Input => StatusCodes.Status400BadRequest,
            ErrorKind.Cancelled => 499,
            ErrorKind.Model => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        },
    };

    public static string OneLine(Exception ex)
    {
        if (ex is OperationCanceledException)
        {
            return "cancelled";
        }

        if (ex is GroundedException or InvalidSettingException or BadHttpRequestException)
        {
            return ex.Message.Split('\n')[0].TrimEnd();
        }

        // Anything else is a bug or the machine's trouble: its type says enough, its message may name server paths.
        return $"Internal error ({ex.GetType().Name}); the server log has the details.";
    }

    public static Task WriteAsync(HttpContext context, Exception ex)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        int status = StatusOf(ex);
        context.Response.Clear();
        if (status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = "2";
        }

        return WriteAsync(context, status, OneLine(ex));
    }

    /// <summary>Answers <c>{"error": message}</c> with the status (every error body of the server is this one).</summary>
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }));
    }
}
