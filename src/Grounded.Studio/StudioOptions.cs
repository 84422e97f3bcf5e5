using Grounded.Recipes;
using Grounded.Settings;

namespace Grounded.Studio;

/// <summary>How <c>grounded serve</c> listens, which models it opens and what it allows a browser to do.</summary>
public sealed record StudioOptions
{
    /// <summary>The address to listen on; anything but loopback needs a <see cref="Token"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port (0 picks a free one).</summary>
    public int Port { get; init; } = 7860;

    /// <summary>The secret a client sends as <c>Authorization: Bearer …</c>, a <c>grounded_token</c> cookie or <c>?token=</c> once.</summary>
    public string? Token { get; init; }

    /// <summary>Folders whose images the page may open by name; nothing else on the server is readable.</summary>
    public IReadOnlyList<string> AllowRead { get; init; } = [];

    /// <summary>Where "save to server" writes result folders (off when null).</summary>
    public string? OutputFolder { get; init; }

    /// <summary>The settings every request starts from (thresholds, models, runtime), as the CLI's.</summary>
    public GroundedSettings Settings { get; init; } = GroundedSettings.Default;

    /// <summary>LaMa for "Remove (LaMa)": a set name, folder or .onnx (default the lama set).</summary>
    public string? LamaModel { get; init; }

    /// <summary>Stable Diffusion inpainting for "Replace": a set name or folder (default the sd-inpainting set).</summary>
    public string? StableDiffusionModel { get; init; }

    /// <summary>Turns model values into folders (the CLI's resolver: the model cache, downloads when allowed).</summary>
    public required ModelFolderResolver Resolve { get; init; }

    /// <summary>The largest upload in bytes.</summary>
    public long MaxUploadBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The largest image in pixels, checked before it is decoded (default: the CLI's decoder limit).</summary>
    public long MaxPixels { get; init; } = Imaging.ImageLoadOptions.Default.MaxPixels;

    /// <summary>Images held for interaction at once; the least recently used goes first.</summary>
    public int MaxImages { get; init; } = 16;

    /// <summary>How long an unused image (and its embedding and results) is kept.</summary>
    public TimeSpan ImageTimeToLive { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Model runs that may go at once (uploads, one-shot calls, everything, edits); more are answered 429.</summary>
    public int MaxHeavyJobs { get; init; } = 2;

    /// <summary>Decoder-only calls (previews, clicks) that may go at once; more are answered 429.</summary>
    public int MaxLightCalls { get; init; } = 8;

    /// <summary>True when the host is a loopback address (no token needed).</summary>
    public bool IsLoopback => Host is "127.0.0.1" or "localhost" or "::1" or "[::1]";

    /// <summary>Checks the options before anything is started or downloaded.</summary>
    /// <exception cref="InvalidRequestException">An unsafe or impossible setting, named as its flag.</exception>
    public void Validate()
    {
        if (!IsLoopback && !System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out _))
        {
            throw new InvalidRequestException($"--host must be an IP address to listen on (127.0.0.1, 0.0.0.0, ::, or one of this machine's) or localhost, not '{Host}'.");
        }

        if (!IsLoopback && string.IsNullOrEmpty(Token))
        {
            throw new InvalidRequestException($"Listening on {Host} exposes the models and your images to the network: give --token SECRET (or keep the default --host 127.0.0.1).");
        }

        if (Token is { Length: < 16 })
        {
            throw new InvalidRequestException("--token must be at least 16 characters.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new InvalidRequestException($"--port must be 0 to 65535, not {Port}.");
        }

        foreach (string folder in AllowRead)
        {
            if (!Directory.Exists(folder))
            {
                throw new InvalidRequestException($"--allow-read '{folder}' is not a folder.");
            }
        }

        if (MaxHeavyJobs < 1 || MaxLightCalls < 1 || MaxImages < 1)
        {
            throw new InvalidRequestException("The job, call and image limits must be at least 1.");
        }
    }
}
