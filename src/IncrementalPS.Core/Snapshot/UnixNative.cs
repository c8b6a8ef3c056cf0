#if NET
using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// The few libc calls .NET has no API for: a file's owner (statx, Linux) and setting it (chown), and whether the caller
/// may write a file (access). .NET 8 has <c>File.GetUnixFileMode</c> but nothing for the owner.
/// </summary>
internal static class UnixNative
{
    private const int AtFdCwd = -100;
    private const uint StatxUidGid = 0x8 | 0x10;
    private const int WriteOk = 2;

    /// <summary>The file's owner and group, or null where statx is not available (not Linux, or a libc before glibc 2.28).</summary>
    public static (uint Uid, uint Gid)? TryGetOwner(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct statx has the same layout on every Linux architecture: stx_uid at byte 20, stx_gid at 24.
        var buffer = new byte[256];
        int result;
        try
        {
            result = statx(AtFdCwd, path, 0, StatxUidGid, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        if (result != 0)
        {
            throw new IOException($"Could not read the owner of '{path}' (errno {Marshal.GetLastPInvokeError()}).");
        }

        return (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)), BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)));
    }

    /// <summary>Sets the owner and group of <paramref name="path"/>; false with the errno when the system refuses.</summary>
    public static bool TrySetOwner(string path, uint uid, uint gid, out int errno)
    {
        if (chown(path, uid, gid) == 0)
        {
            errno = 0;
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        return false;
    }

    /// <summary>True when this process may write <paramref name="path"/> by the system's rules (root may write anything).</summary>
    public static bool MayWrite(string path) => access(path, WriteOk) == 0;

    /// <summary>The path with every symbolic link, '.' and '..' resolved (realpath), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        // PATH_MAX is 4096 on Linux, 1024 on macOS; realpath writes at most that many bytes, NUL included.
        var buffer = new byte[4096];
        if (realpath(path, buffer) == IntPtr.Zero)
        {
            return null;
        }

        var length = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }

// CA5392: libc on Unix only, no DLL search path to harden. SYSLIB1054: LibraryImport would need unsafe code.
    // CA2101: the strings are marshalled as UTF-8 explicitly (LPUTF8Str), which the rule does not recognise.
#pragma warning disable CA5392, SYSLIB1054, CA2101
    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, byte[] statxbuf);

    [DllImport("libc", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] resolved);

    [DllImport("libc", SetLastError = true)]
    private static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
#pragma warning restore CA5392, SYSLIB1054, CA2101
}
#endif
