namespace Grounded.IO;

/// <summary>The user's cache folders: $XDG_CACHE_HOME/grounded/NAME, ~/.cache/grounded/NAME, or %LOCALAPPDATA%\grounded\NAME.</summary>
public static class UserCache
{
    /// <summary>The folder for <paramref name="name"/>, or the value of <paramref name="variable"/> when that is set.</summary>
    public static string Folder(string name, string variable)
    {
        string? configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "grounded", name);
        }

        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string cache = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "grounded", name);
    }
}
