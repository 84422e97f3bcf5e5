using System.Net;

namespace Grounded.Tests.Support;

/// <summary>
/// A tiny HTTP file server on 127.0.0.1 for download tests: serves byte arrays by path, honours Range requests,
/// can cut the first response short, and records each request's Range header. Bounded: it stops with Dispose.
/// </summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public LoopbackFileServer()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = Random.Shared.Next(20000, 60000);
            try
            {
                // Loopback only: the server is reachable from this process and nowhere else.
                string baseUrl = new UriBuilder(Uri.UriSchemeHttp, IPAddress.Loopback.ToString(), port).Uri.ToString().TrimEnd('/');
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add(baseUrl + "/");
                _listener.Start();
                BaseUrl = baseUrl;
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>When set, the next response for <see cref="CutPath"/> sends only this many bytes and then drops the connection.</summary>
    public long? CutNextResponseAfter { get; set; }

    /// <summary>The path whose next response is cut.</summary>
    public string? CutPath { get; set; }

    public List<string?> RangeHeaders { get; } = [];

    /// <summary>Paths answered only after a wait.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan> Delays { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths whose every answer is cut after half its body.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> AlwaysCut { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests per path.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    public void Add(string path, byte[] content) => _files[path] = content;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            // Each request on its own task, so a slow answer does not hold up the others.
            _ = Task.Run(async () =>
            {
                try
                {
                    if (Delays.TryGetValue(context.Request.Url!.AbsolutePath, out var delay))
                    {
                        await Task.Delay(delay);
                    }

                    Serve(context);
                }
                catch (HttpListenerException)
                {
                }
                catch (IOException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
            });
        }
    }

    private void Serve(HttpListenerContext context)
    {
        string path = context.Request.Url!.AbsolutePath;
        string? range = context.Request.Headers["Range"];
        lock (RangeHeaders)
        {
            RangeHeaders.Add(range);
        }

        Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        var response = context.Response;
        if (!_files.TryGetValue(path, out var content))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        long start = 0;
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            start = long.Parse(range[6..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }

            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{content.Length - 1}/{content.Length}");
        }

        long length = content.Length - start;
        response.ContentLength64 = length;
        if (AlwaysCut.ContainsKey(path) || (CutNextResponseAfter is long && path == CutPath))
        {
            long cut = CutNextResponseAfter is long once && path == CutPath ? once : length / 2;
            CutNextResponseAfter = null;
            response.OutputStream.Write(content, (int)start, (int)Math.Min(cut, length));
            response.OutputStream.Flush();
            response.Abort();
            return;
        }

        response.OutputStream.Write(content, (int)start, (int)length);
        response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
