using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Grounded.Agents.Sandbox;

/// <summary>
/// Opens a file for reading without the traps an attacker can set: on Linux with O_NONBLOCK (a FIFO cannot hang the
/// open) and O_NOCTTY, and reports the real path of the open descriptor, so what is checked is what is read.
/// </summary>
internal static partial class SafeOpen
{
    private const int ReadOnlyNonBlocking = 0x0 | 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC (Linux)

    /// <summary>Opens <paramref name="path"/>; the error number on failure.</summary>
    public static SafeFileHandle Open(string path, out int error)
    {
        error = 0;
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (FileNotFoundException)
            {
                error = 2;
            }
            catch (DirectoryNotFoundException)
            {
                error = 2;
            }
            catch (UnauthorizedAccessException)
            {
                error = 13;
            }
            catch (IOException)
            {
                error = 5;
            }

            return new SafeFileHandle();
        }

        int fd = OpenNative(path, ReadOnlyNonBlocking);
        if (fd < 0)
        {
            error = Marshal.GetLastPInvokeError();
            return new SafeFileHandle();
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The real path of an open descriptor (Linux), or null where the system does not say.</summary>
    public static string? RealPathOf(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string link = $"/proc/self/fd/{handle.DangerousGetHandle()}";
        return new FileInfo(link).LinkTarget;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags);
}
