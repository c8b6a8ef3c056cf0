using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// Where the journal may be written through a memory mapping (<see cref="MappedJournalAppender"/>), and how its space is
/// reserved first. A store into a mapping cannot report an error the way write(2) does: a page the file system cannot
/// back raises SIGBUS (Linux) or an in-page error (Windows) and kills the process. So the space is allocated before
/// it is mapped (posix_fallocate; on Windows extending a file allocates it), where a full disk is an ordinary
/// <see cref="IOException"/>; and only file systems known to write a reserved page in place are mapped.
/// </summary>
internal static class MappedFileSupport
{
    private const int ENOSPC = 28;
    private const int EFBIG = 27;
    private const int MadvPopulateWrite = 23;

    // statfs f_type of the Linux file systems that write a reserved page in place (linux/magic.h): ext2/3/4, tmpfs.
    // Not the others: network and user-space ones turn a lost server into a fault, copy-on-write ones (Btrfs, ZFS,
    // bcachefs, and XFS for a block shared by a reflinked copy) need new space when a page is written again, overlayfs
    // may sit on any of these. Unknown is not safe.
    private static readonly long[] s_inPlaceTypes =
    {
        0xEF53, // ext2, ext3, ext4
        0x01021994, // tmpfs
    };

    /// <summary>
    /// True where a journal at <paramref name="path"/> may be mapped: 64-bit Linux on ext2/3/4 or tmpfs, and 64-bit
    /// Windows on a fixed NTFS disk, the file neither compressed nor sparse (both would allocate only when written).
    /// </summary>
    public static bool IsSafe(string path)
    {
        if (!Environment.Is64BitProcess)
        {
            return false;
        }

        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                var root = Path.GetPathRoot(Path.GetFullPath(path));
                if (string.IsNullOrEmpty(root) || root!.StartsWith(@"\\", StringComparison.Ordinal))
                {
                    return false;
                }

                var drive = new DriveInfo(root);
                return drive.DriveType == DriveType.Fixed
                    && string.Equals(drive.DriveFormat, "NTFS", StringComparison.OrdinalIgnoreCase)
                    && (File.GetAttributes(path) & (FileAttributes.Compressed | FileAttributes.SparseFile)) == 0;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                // struct statfs begins with f_type (a long) on every 64-bit Linux architecture.
                var buffer = new byte[256];
                return statfs(NullTerminatedUtf8(path), buffer) == 0
                    && Array.IndexOf(s_inPlaceTypes, BitConverter.ToInt64(buffer, 0)) >= 0;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or EntryPointNotFoundException or DllNotFoundException)
        {
            // Unknown is not safe: the journal keeps write(2).
            return false;
        }

        // macOS and the BSDs have no posix_fallocate that allocates for certain; their journal keeps write(2).
        return false;
    }

    /// <summary>
    /// Makes <paramref name="stream"/>'s file <paramref name="length"/> bytes long with its new space allocated on disk.
    /// </summary>
    /// <exception cref="IOException">The disk is full, or the file may grow no further.</exception>
    public static void Reserve(FileStream stream, long length)
    {
        var current = stream.Length;
        if (length <= current)
        {
            return;
        }

        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            // NTFS and ReFS allocate what SetEndOfFile adds to a file that is not sparse; a full disk fails here.
            stream.SetLength(length);
            return;
        }

        var handle = stream.SafeFileHandle;
        var added = false;
        int error;
        try
        {
            handle.DangerousAddRef(ref added);
            error = posix_fallocate(handle.DangerousGetHandle().ToInt32(), current, length - current);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        if (error != 0)
        {
            var what = error switch
            {
                ENOSPC => "the disk is full",
                EFBIG => "the file has reached the largest size allowed",
                _ => $"errno {error}",
            };
            throw new IOException($"Could not reserve space to grow the checkpoint file to {length} bytes: {what}.");
        }
    }

    /// <summary>
    /// Asks Linux (5.14 and later) to fault in a fresh mapping's pages for writing in one call: the appends then take no
    /// page fault each time they reach a new page. A hint only: older kernels refuse it and the pages fault one by one.
    /// </summary>
    public static void Prefault(IntPtr address, long length)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            _ = madvise(address, new UIntPtr((ulong)length), MadvPopulateWrite);
        }
    }

    private static byte[] NullTerminatedUtf8(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\0");

#pragma warning disable CA5392, SYSLIB1054 // plain libc calls; the path is passed as NUL-terminated UTF-8 bytes
    [DllImport("libc", SetLastError = true, EntryPoint = "statfs")]
    private static extern int statfs(byte[] path, byte[] buffer);

    // Returns the error number itself (it does not set errno).
    [DllImport("libc", EntryPoint = "posix_fallocate")]
    private static extern int posix_fallocate(int fd, long offset, long length);

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int madvise(IntPtr address, UIntPtr length, int advice);
#pragma warning restore CA5392, SYSLIB1054
}
