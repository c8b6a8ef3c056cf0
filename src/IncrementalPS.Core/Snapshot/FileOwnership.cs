using System;
using System.IO;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// Keeps who may read a checkpoint when it is rewritten. A rewrite is a new file renamed over the old one, and a new
/// file gets the writer's owner and default mode: a private (600) checkpoint would become world-readable (644) and a
/// user's file would pass to root. On Unix the new file takes the old one's mode and owner before the rename. On
/// Windows it takes the old one's DACL (<see cref="WindowsFileSecurity"/>): <see cref="AtomicFile"/> renames with
/// MoveFileEx, not ReplaceFile (which kept the ACL but can lose the file), and a renamed new file would otherwise have
/// only the ACL its folder passes down.
/// </summary>
internal static class FileOwnership
{
    /// <summary>
    /// Refuses to rewrite a file its owner marked read-only (mode without u+w, or the ReadOnly attribute), or one this
    /// process may not write. Root may write anything, so the mode is checked as well as the system's answer.
    /// </summary>
    /// <exception cref="CheckpointAccessException">The file is read-only or not writable by this user.</exception>
    public static void EnsureWritable(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
            {
                throw CheckpointAccessException.ReadOnly(path, "it has the read-only attribute", "clear it (attrib -r)");
            }

            return;
        }

#if NET
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserWrite) == 0)
        {
            throw CheckpointAccessException.ReadOnly(path, $"its mode is {ModeText(mode)}, which its owner may not write", "make it writable (chmod u+w)");
        }

        if (!UnixNative.MayWrite(path))
        {
            throw CheckpointAccessException.ReadOnly(path, $"this user may not write it (mode {ModeText(mode)})", "run as its owner or change its permissions");
        }
#endif
    }

    /// <summary>Gives <paramref name="replacement"/> the mode and owner of <paramref name="original"/> (Unix), or its DACL (Windows).</summary>
    /// <exception cref="UnauthorizedAccessException">The owner cannot be kept (a user other than root rewriting another user's file).</exception>
    public static void CopyTo(string original, string replacement)
    {
#if NET
        if (OperatingSystem.IsWindows())
        {
            WindowsFileSecurity.CopyAccessRules(original, replacement);
            return;
        }

        // Owner first: chown may clear set-id bits, which the mode below puts back.
        if (UnixNative.TryGetOwner(original) is (uint uid, uint gid) owner && UnixNative.TryGetOwner(replacement) != owner
            && !UnixNative.TrySetOwner(replacement, uid, gid, out var errno))
        {
            throw new UnauthorizedAccessException(
                $"Could not give the rewritten '{original}' its owner back (uid {uid}, gid {gid}; errno {errno}), so it was left as it was. " +
                "Rewrite it as its owner or as root.");
        }

        File.SetUnixFileMode(replacement, File.GetUnixFileMode(original));
#else
        // netstandard2.0 is Windows PowerShell's build: Windows only.
        WindowsFileSecurity.CopyAccessRules(original, replacement);
#endif
    }

#if NET
    private static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
#endif
}
