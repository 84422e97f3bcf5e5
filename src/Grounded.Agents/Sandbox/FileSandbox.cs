namespace Grounded.Agents.Sandbox;

/// <summary>
/// Deny-by-default file access for untrusted callers. A file is opened once and the open descriptor is checked —
/// its real path inside an allowed folder, a regular file with a size under the limit — and then read from that
/// descriptor only, so a link swapped in between cannot redirect the read. Outputs go to one folder under names
/// the sandbox generates, written aside and renamed in whole, with the oldest removed past the retention limits.
/// </summary>
public sealed class FileSandbox
{
    private readonly string[] _readRoots;
    private readonly string _outputRoot;
    private readonly Lock _pruning = new();

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

    /// <summary>The real allowed input folders.</summary>
    public IReadOnlyList<string> ReadRoots => _readRoots;

    /// <summary>
    /// Reads a file the caller may read, or throws a <see cref="SandboxException"/> saying why not: a NUL in the path,
    /// outside the allowed folders, missing, a link loop, a directory, a pipe or device, or larger than
    /// <paramref name="maxBytes"/>. Never reads more than the file's size, and never more than the limit.
    /// </summary>
    public SandboxFile Read(string path, long maxBytes)
    {
        string full = CheckedFullPath(path);
        string shown = Shown(path);
        string real;
        try
        {
            real = RealPath(full);
        }
        catch (IOException)
        {
            throw new SandboxException($"'{shown}' cannot be opened: its symbolic links loop or go too deep.");
        }

        if (!IsAllowed(real))
        {
            throw new SandboxException($"Access denied: '{shown}' is outside the allowed input folders.");
        }

        using var handle = SafeOpen.Open(full, out int error);
        if (handle.IsInvalid)
        {
            throw new SandboxException(error switch
            {
                2 or 20 => $"'{shown}' does not exist.",
                40 => $"'{shown}' cannot be opened: its symbolic links loop or go too deep.",
                13 or 1 => $"'{shown}' cannot be read: permission denied.",
                _ => $"'{shown}' cannot be opened (error {error}).",
            });
        }

        // What was opened is what is checked: a link swapped in after the check above is caught here.
        string opened = SafeOpen.RealPathOf(handle) ?? real;
        if (!IsAllowed(opened))
        {
            throw new SandboxException($"Access denied: '{shown}' is outside the allowed input folders.");
        }

        if (Directory.Exists(opened))
        {
            throw new SandboxException($"'{shown}' is a directory, not an image file.");
        }

        long length;
        try
        {
            length = RandomAccess.GetLength(handle);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new SandboxException($"'{shown}' is not a regular file.");
        }

        // Pipes, sockets and character devices report no size: they are never read.
        if (length == 0)
        {
            throw new SandboxException($"'{shown}' is empty or not a regular file (a pipe or a device).");
        }

        if (length > maxBytes)
        {
            throw new SandboxException($"'{shown}' is {length} bytes, over the limit of {maxBytes}.");
        }

        byte[] bytes = new byte[length];
        int filled = 0;
        try
        {
            while (filled < bytes.Length)
            {
                int read = RandomAccess.Read(handle, bytes.AsSpan(filled), filled);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new SandboxException($"'{shown}' cannot be read: {ex.Message.Split('\n')[0]}");
        }

        return new SandboxFile(opened, shown, filled == bytes.Length ? bytes : bytes[..filled]);
    }

    /// <summary>A staging folder for one call's outputs; <see cref="OutputStaging.Commit"/> renames it into place.</summary>
    public OutputStaging BeginOutput(string kind)
    {
        string name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{kind}-{Guid.NewGuid().ToString("N")[..8]}";
        return new OutputStaging(Path.Combine(_outputRoot, "." + name + ".staging"), Path.Combine(_outputRoot, name));
    }

    /// <summary>Removes the oldest output folders until at most <paramref name="maxFolders"/> and <paramref name="maxBytes"/> remain; returns how many went.</summary>
    public int Prune(int maxFolders, long maxBytes, string? keep = null)
    {
        lock (_pruning)
        {
            var folders = new DirectoryInfo(_outputRoot).EnumerateDirectories()
                .Where(d => !d.Name.StartsWith('.') && d.LinkTarget is null)
                .OrderBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => (Dir: d, Bytes: SizeOf(d)))
                .ToList();
            long total = folders.Sum(f => f.Bytes);
            int removed = 0;
            foreach (var (dir, bytes) in folders)
            {
                if (folders.Count - removed <= maxFolders && total <= maxBytes)
                {
                    break;
                }

                if (dir.FullName == keep)
                {
                    continue;
                }

                try
                {
                    dir.Delete(recursive: true);
                    total -= bytes;
                    removed++;
                }
                catch (IOException)
                {
                    // In use or gone: the next call tries again.
                }
            }

            return removed;
        }
    }

    /// <summary>Bytes under a folder.</summary>
    public static long SizeOf(DirectoryInfo dir) =>
        dir.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Sum(f => f.Length);

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
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                current = target is null ? current : RealPath(target.FullName);
            }
        }

        return current;
    }

    private string CheckedFullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SandboxException("No image path was given.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new SandboxException("The image path contains a NUL character; give a plain file name or path.");
        }

        if (_readRoots.Length == 0)
        {
            throw new SandboxException("Reading files is not allowed: no input folder was configured.");
        }

        try
        {
            // Relative paths are taken relative to the first allowed folder, never to the process's working directory.
            return Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(_readRoots[0], path));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new SandboxException($"'{Shown(path)}' is not a valid path.");
        }
    }

    private bool IsAllowed(string real) => _readRoots.Any(root => IsInside(real, root));

    private static bool IsInside(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string withSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(withSeparator, comparison);
    }

    /// <summary>A path as errors show it: printable and at most 200 characters.</summary>
    internal static string Shown(string path)
    {
        var text = new System.Text.StringBuilder(Math.Min(path.Length, 200));
        foreach (char c in path.Take(200))
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return path.Length > 200 ? text + "…" : text.ToString();
    }
}

/// <summary>A file read through the sandbox.</summary>
/// <param name="RealPath">Where it really is.</param>
/// <param name="Shown">The path as the caller gave it, printable and bounded.</param>
/// <param name="Bytes">Its content.</param>
public sealed record SandboxFile(string RealPath, string Shown, byte[] Bytes);

/// <summary>One call's output folder while it is written: hidden until committed, removed if never committed.</summary>
public sealed class OutputStaging(string staging, string final) : IDisposable
{
    private bool _committed;

    /// <summary>Where to write now.</summary>
    public string Path { get; } = Directory.CreateDirectory(staging).FullName;

    /// <summary>Where the outputs will be once committed.</summary>
    public string FinalPath { get; } = final;

    /// <summary>Bytes written so far.</summary>
    public long Bytes => FileSandbox.SizeOf(new DirectoryInfo(Path));

    /// <summary>Renames the folder into place.</summary>
    public string Commit()
    {
        Directory.Move(Path, FinalPath);
        _committed = true;
        return FinalPath;
    }

    /// <summary>Removes the staging folder unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
