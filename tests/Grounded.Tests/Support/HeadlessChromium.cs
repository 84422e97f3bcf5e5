using System.Diagnostics;
using PuppeteerSharp;

namespace Grounded.Tests.Support;

/// <summary>
/// Debian's Chromium, driven over the DevTools protocol (nothing is downloaded). Missing, it is installed with
/// apt-get where apt is there (CI's .ci/run installs it first); only where apt is unavailable does a test skip.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly Lazy<string?> Found = new(Locate);

    public static string? Path => Found.Value;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => Path is null ? "Chromium is not installed and apt-get is unavailable: install Debian's 'chromium' package to run the browser tests." : null;

    public static Task<IBrowser> LaunchAsync() => Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = Path ?? throw new InvalidOperationException(Unavailable),
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"],
        DefaultViewport = new ViewPortOptions { Width = 1400, Height = 1000 },
    });

    private static string? Locate()
    {
        foreach (string candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (!File.Exists("/usr/bin/apt-get"))
        {
            return null;
        }

        Run("apt-get", "update -q");
        Run("apt-get", "install -y -q chromium");
        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(10));
    }
}
