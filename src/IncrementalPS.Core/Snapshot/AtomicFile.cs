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
    /// Tests only: runs in place of this thread's renames, to fail them as Windows can (a sharing violation, or a
    /// replace that fails after the target is gone). Per thread, so that tests running in parallel do not see it.
    /// </summary>
    [ThreadStatic]
    internal static Action<string, string>? MoveOnThisThread;

    /// <summary>
    /// Writes <paramref name="path"/> through a temporary file. With <paramref name="durable"/>, the content and the
    /// rename reach the disk before this returns (survives a power failure); without, they reach the operating system.
    /// With <paramref name="waitWhileBusy"/>, a rename refused by a reader is retried for a few seconds (Windows);
    /// without, it is tried once.
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool durable, bool waitWhileBusy = true)
    {
        var temp = WriteTemp(path, write, durable);
        Commit(temp, path, durable, waitWhileBusy);
    }

    /// <summary>
    /// The first half of <see cref="Write"/>: writes the new content to a temporary file beside <paramref name="path"/>
    /// and returns its name. Callers that read the old file while writing close it before <see cref="Commit"/>:
    /// Windows refuses to rename over a file that has open handles.
    /// </summary>
    public static string WriteTemp(string path, Action<Stream> write, bool durable)
    {
        var temp = TempFileName.For(path);
        try
        {
            using var stream = CreateTemp(temp, path);
            write(stream);
            stream.Flush(flushToDisk: durable);
            return temp;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // .NET reports EFBIG (past a file size limit) this way: an I/O failure, like a full disk.
            Discard(temp);
            throw new IOException($"'{temp}' reached the largest file size allowed (a file size limit, ulimit -f, or the file system's).", ex);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    private static FileStream CreateTemp(string temp, string path)
    {
#if NET
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            // Never more open than the file it replaces, not even while it is written: the mode is copied exactly
            // before the rename (FileOwnership), this only keeps the umask's default from exposing a private file.
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 16,
                UnixCreateMode = File.GetUnixFileMode(path) & (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite),
            };
            return new FileStream(temp, options);
        }
#endif
        return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>
    /// The second half of <see cref="Write"/>: renames the temporary file over <paramref name="path"/>. On failure the
    /// target is untouched and the temporary file is gone, except where the target itself is gone: then the temporary
    /// file takes its place, and only if that fails too does it stay, as the only copy.
    /// </summary>
    public static void Commit(string temp, string path, bool durable, bool waitWhileBusy = true)
    {
        try
        {
            if (File.Exists(path))
            {
                FileOwnership.CopyTo(path, temp);
            }

            Replace(temp, path, waitWhileBusy);
        }
        catch when (!File.Exists(path) && File.Exists(temp))
        {
            // The target is gone and the temporary file is the only copy: a replace that failed halfway (ReplaceFile's
            // 1176, or a rename after something else deleted the target). Put it in place, with the same retries; if
            // even that fails the temporary file stays, never deleted while the target is missing.
            Replace(temp, path);
        }
        catch
        {
            Discard(temp);
            throw;
        }

        if (durable)
        {
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        }
    }

    private static void Discard(string temp)
    {
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Renames <paramref name="source"/> over <paramref name="target"/>. On Windows a replace can fail for a moment while
    /// an antivirus, indexer or sync client has the target open; that is retried for a few seconds.
    /// </summary>
    public static void Replace(string source, string target, bool waitWhileBusy = true)
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
            catch (Exception ex) when (waitWhileBusy && FileRetry.IsTransient(ex) && clock.Elapsed < s_replaceRetryWindow)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 500);
            }
        }
    }

    private static void MoveOver(string source, string target)
    {
        if (MoveOnThisThread is { } move)
        {
            move(source, target);
            return;
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // One MoveFileEx rename, on both .NET Framework and .NET: ReplaceFile (File.Replace) can fail halfway with
            // the target moved away. The new file keeps the ACL it inherited from the folder, not the old file's.
            WindowsFileMove.MoveOver(source, target);
            return;
        }

#if NET
        // rename(2) on Unix; FileOwnership gave the new file the old one's mode and owner first.
        File.Move(source, target, overwrite: true);
#else
        File.Move(source, target);
#endif
    }
}
