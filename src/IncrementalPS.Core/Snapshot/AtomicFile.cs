using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// Replaces a file so that readers see either the old content or the new, never a mix: write a temporary file in the
/// same directory (same volume, so the rename is atomic), flush it, rename it over the target, flush the directory.
/// </summary>
internal static class AtomicFile
{
    private static readonly TimeSpan s_replaceRetryWindow = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Writes <paramref name="path"/> through a temporary file. With <paramref name="durable"/>, the content and the
    /// rename reach the disk before this returns (survives a power failure); without, they reach the operating system.
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool durable)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            Replace(temp, path);
            if (durable)
            {
                DirectorySync.Flush(directory);
            }
        }
        finally
        {
            // Only left behind when something above failed; the target is then untouched.
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Renames <paramref name="source"/> over <paramref name="target"/>. On Windows a replace can fail for a moment while
    /// an antivirus, indexer or sync client has the target open; that is retried for a few seconds.
    /// </summary>
    public static void Replace(string source, string target)
    {
        var clock = Stopwatch.StartNew();
        var delay = 10;
        while (true)
        {
            try
            {
                MoveOver(source, target);
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && clock.Elapsed < s_replaceRetryWindow)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 500);
            }
        }
    }

    private static void MoveOver(string source, string target)
    {
#if NET
        File.Move(source, target, overwrite: true);
#else
        // .NET Framework has no File.Move(overwrite). File.Replace maps to ReplaceFile, which swaps atomically
        // and keeps the target's identity; it needs the target to exist.
        if (File.Exists(target))
        {
            File.Replace(source, target, destinationBackupFileName: null, ignoreMetadataErrors: true);
        }
        else
        {
            File.Move(source, target);
        }
#endif
    }

    private static bool IsTransient(Exception ex)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return false;
        }

        const int SharingViolation = unchecked((int)0x80070020);
        const int LockViolation = unchecked((int)0x80070021);
        return ex is UnauthorizedAccessException
            || (ex is IOException io && (io.HResult == SharingViolation || io.HResult == LockViolation));
    }
}
