namespace Grounded.Agents.Sandbox;

/// <summary>
/// Deny-by-default file access for untrusted callers: a path is readable only if its real location (every symlink
/// resolved) is inside an allowed folder; outputs go to one folder under names the sandbox generates.
/// </summary>
public sealed class FileSandbox
{
    private readonly string[] _readRoots;
    private readonly string _outputRoot;

    /// <summary>Creates a sandbox; the folders must exist.</summary>
    public FileSandbox(IEnumerable<string> readFolders, string outputFolder)
    {
        ArgumentNullException.ThrowIfNull(readFolders);
        ArgumentNullException.ThrowIfNull(outputFolder);
        Directory.CreateDirectory(outputFolder);
        _readRoots = [.. readFolders.Select(f => Directory.Exists(f) ? RealPath(f) : throw new InvalidRequestException($"Allowed folder '{f}' does not exist."))];
        _outputRoot = RealPath(outputFolder);
    }

    /// <summary>The real output folder.</summary>
    public string OutputRoot => _outputRoot;

    /// <summary>
    /// The real path of a readable file, or a <see cref="SandboxException"/> saying why not: outside the allowed
    /// folders, missing, a directory, or larger than <paramref name="maxBytes"/>.
    /// </summary>
    public string ResolveReadable(string path, long maxBytes)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SandboxException("No image path was given.");
        }

        if (_readRoots.Length == 0)
        {
            throw new SandboxException("Reading files is not allowed: no input folder was configured.");
        }

        // Relative paths are taken relative to the first allowed folder, never to the process's working directory.
        string full = Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(_readRoots[0], path));
        string real = RealPath(full);
        if (!_readRoots.Any(root => IsInside(real, root)))
        {
            throw new SandboxException($"Access denied: '{path}' is outside the allowed input folders.");
        }

        if (Directory.Exists(real))
        {
            throw new SandboxException($"'{path}' is a directory, not an image file.");
        }

        if (!File.Exists(real))
        {
            throw new SandboxException($"'{path}' does not exist.");
        }

        long length = new FileInfo(real).Length;
        if (length > maxBytes)
        {
            throw new SandboxException($"'{path}' is {length} bytes, over the limit of {maxBytes}.");
        }

        return real;
    }

    /// <summary>A new, empty folder for one call's outputs, named by the sandbox.</summary>
    public string NewOutputFolder(string kind)
    {
        string name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{kind}-{Guid.NewGuid().ToString("N")[..8]}";
        string folder = Path.Combine(_outputRoot, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Resolves every symlink along a path (the path itself may not exist yet).</summary>
    internal static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full)!;
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                current = target is null ? current : RealPath(target.FullName);
            }
        }

        return current;
    }

    private static bool IsInside(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string withSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(withSeparator, comparison);
    }
}
