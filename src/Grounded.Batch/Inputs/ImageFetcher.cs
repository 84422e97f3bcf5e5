using System.Net;
using Grounded.Imaging;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Grounded.Batch.Inputs;

/// <summary>
/// Fetches http(s) images with retries and exponential back-off: a transient failure (a 5xx, 408 or 429 answer, a
/// refused or dropped connection, a body cut short, an attempt past its timeout) is tried again; anything else, or
/// the last failure, is an <see cref="ImageLoadException"/> for that image alone. The body is never read past the
/// size limit.
/// </summary>
public sealed class ImageFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly UrlFetchOptions _options;

    /// <summary>A fetcher with its own connection pool.</summary>
    public ImageFetcher(UrlFetchOptions? options = null)
    {
        _options = options ?? UrlFetchOptions.Default;
        _client = new HttpClient(new SocketsHttpHandler { MaxAutomaticRedirections = 5, AutomaticDecompression = DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Grounded/0.2");
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, _options.Attempts - 1),
            Delay = _options.FirstRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(_options.Attempts > 1 && (HttpClientResiliencePredicates.IsTransient(args.Outcome) || args.Outcome.Exception is IOException)),
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return default;
            },
        };
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(retry)
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    /// <summary>The image's bytes.</summary>
    /// <exception cref="ImageLoadException">The fetch failed for good: the message says why in one line.</exception>
    public async Task<byte[]> FetchAsync(string url, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        string shown = Shown(url);
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token => await SendAsync(url, maxBytes, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ImageLoadException($"Cannot fetch '{shown}': HTTP {(int)response.StatusCode} ({response.ReasonPhrase}){Attempts(response.StatusCode)}.");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ImageLoadException($"Cannot fetch '{shown}': no complete answer within {_options.AttemptTimeout.TotalSeconds:0.#} s, {_options.Attempts} attempt(s).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ImageLoadException($"Cannot fetch '{shown}': {ex.Message.Split('\n')[0]} ({_options.Attempts} attempt(s)).", ex);
        }
        catch (IOException ex)
        {
            throw new ImageLoadException($"Cannot fetch '{shown}': the answer was cut short ({ex.Message.Split('\n')[0]}), {_options.Attempts} attempt(s).", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(string url, long maxBytes, CancellationToken cancellationToken)
    {
        var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        try
        {
            // The body is read inside the attempt, so a body cut short is retried like a refused connection.
            if (response.Content.Headers.ContentLength is long declared && declared > maxBytes)
            {
                throw new ImageLoadException($"Cannot fetch '{Shown(url)}': the image is {declared} bytes, over the limit of {maxBytes}.");
            }

            var body = new MemoryStream();
            var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                byte[] chunk = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > maxBytes)
                    {
                        throw new ImageLoadException($"Cannot fetch '{Shown(url)}': the image is over the limit of {maxBytes} bytes.");
                    }

                    body.Write(chunk, 0, read);
                }
            }

            var buffered = new ByteArrayContent(body.ToArray());
            response.Content.Dispose();
            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private string Attempts(HttpStatusCode status) =>
        ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests) && _options.Attempts > 1 ? $", {_options.Attempts} attempts" : string.Empty;

    /// <summary>The URL without its query, which may carry a signature or token.</summary>
    private static string Shown(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Query.Length > 0 ? uri.GetLeftPart(UriPartial.Path) + "?…" : url;
}
