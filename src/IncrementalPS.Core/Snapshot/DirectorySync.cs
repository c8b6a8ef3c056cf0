using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// Flushes a directory's entries to disk on POSIX, so that a rename survives a power failure. Windows has no
/// equivalent call; NTFS journals the rename itself.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>
    /// Tests only: a fault to raise in place of this thread's next directory flush (a failed fsync cannot be provoked
    /// on demand otherwise). Per thread, so that tests running in parallel do not see each other's faults.
    /// </summary>
    [ThreadStatic]
    internal static string? FailNextOnThisThread;

    /// <exception cref="DirectorySyncException">The directory could not be flushed: the rename before it did happen.</exception>
    public static void Flush(string directory)
    {
        if (FailNextOnThisThread is { } fault)
        {
            FailNextOnThisThread = null;
            throw new DirectorySyncException($"Could not flush the directory '{directory}' to disk ({fault}).");
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        var fd = open(NullTerminatedUtf8(directory), ReadOnly);
        if (fd < 0)
        {
            throw new DirectorySyncException($"Could not open the directory '{directory}' to flush it (errno {Marshal.GetLastWin32Error()}).");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastWin32Error();
                // Some file systems (e.g. certain network mounts) refuse fsync on a directory; the rename itself already happened.
                if (errno != EINVAL && errno != NotSupported)
                {
                    throw new DirectorySyncException($"Could not flush the directory '{directory}' to disk (errno {errno}).");
                }
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    private static byte[] NullTerminatedUtf8(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text + "\0");
        return bytes;
    }

    private const int EINVAL = 22;

    // ENOTSUP is 95 on Linux and 45 on macOS and the BSDs.
    private static readonly int NotSupported = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 95 : 45;

#pragma warning disable CA5392, SYSLIB1054 // plain libc calls; the path is passed as NUL-terminated UTF-8 bytes
    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "fsync")]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    private static extern int close(int fd);
#pragma warning restore CA5392, SYSLIB1054
}
