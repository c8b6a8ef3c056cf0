using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// The exclusive, OS-level lock that makes one run the owner of a checkpoint. It is a file opened with
/// <see cref="FileShare.None"/>: on Windows a share-mode lock, on Unix .NET takes an flock(LOCK_EX) on it. Both are
/// released by the operating system when the process dies, so a crash or a reboot never leaves a stale lock.
/// </summary>
internal sealed class CheckpointLock : IDisposable
{
    // A status reader holds a shared lock for a few microseconds; a writer that meets one waits this long before
    // concluding the checkpoint is really held.
    private static readonly TimeSpan s_contentionWindow = TimeSpan.FromMilliseconds(500);

    private readonly CheckpointLocation _location;
    private FileStream? _handle;

    /// <summary>
    /// Tests only: the error to raise in place of this thread's next deletion of an owner file (on Windows a reader
    /// without FILE_SHARE_DELETE makes it fail; Linux cannot refuse it on demand).
    /// </summary>
    [ThreadStatic]
    internal static Exception? FailNextOwnerDeleteOnThisThread;

    private CheckpointLock(CheckpointLocation location, FileStream handle)
    {
        _location = location;
        _handle = handle;
    }

    /// <summary>Takes the checkpoint's lock, records this process as its owner, and removes the temporary files of killed rewrites.</summary>
    /// <exception cref="CheckpointLockedException">Another live run holds it.</exception>
    /// <exception cref="CheckpointFormatException">A lock, owner or in-flight file beside the checkpoint is someone else's.</exception>
    public static CheckpointLock Acquire(CheckpointLocation location, string writer)
    {
        if (FileLockingDisabled())
        {
            throw new InvalidOperationException(
                "File locking is switched off in this process (DOTNET_SYSTEM_IO_DISABLEFILELOCKING or the System.IO.DisableFileLocking " +
                $"switch), so IncrementalPS cannot make sure that only one run uses '{location.FilePath}'. Unset it and start again.");
        }

        Directory.CreateDirectory(location.Directory);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            FileStream? handle = null;
            try
            {
                handle = new FileStream(location.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException ex) when (IsHeldError(ex))
            {
                if (clock.Elapsed > s_contentionWindow)
                {
                    throw new CheckpointLockedException(location.FilePath, OwnerFile.TryRead(location.OwnerPath));
                }

                Thread.Sleep(20);
                continue;
            }

            // The previous owner may have deleted the lock file (checkpoint removed) between our open and our lock;
            // a lock on a deleted file protects nothing, so start over on the new file.
            if (!File.Exists(location.LockPath))
            {
                handle.Dispose();
                continue;
            }

            try
            {
                // Before the first of them is rewritten: under the lock, so no other run changes them meanwhile.
                CheckpointSidecars.EnsureOwn(location, handle);
                OwnerFile.Write(location.OwnerPath, CheckpointOwner.ForCurrentProcess(writer));
            }
            catch
            {
                handle.Dispose();
                throw;
            }

            return new CheckpointLock(location, handle);
        }
    }

    /// <summary>
    /// Removes the temporary files that rewrites of this checkpoint, killed midway, left behind (each as large as the
    /// journal). Only the holder of the lock rewrites these files, so none is in use. Call it once the file is known
    /// to be a checkpoint: beside a file that is not one, a look-alike name belongs to someone else.
    /// </summary>
    public void RemoveStaleRewrites()
    {
        TempFileName.RemoveStale(_location.FilePath);
        TempFileName.RemoveStale(_location.OwnerPath);
    }

    /// <summary>True when a live process holds the lock. Never blocks; holds nothing afterwards.</summary>
    public static bool IsHeld(CheckpointLocation location)
    {
        try
        {
            // Read access with sharing asks for a shared lock (Unix) / a compatible share mode (Windows): refused while
            // a writer holds the lock exclusively, granted otherwise and released at once.
            using var probe = new FileStream(location.LockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException ex) when (IsHeldError(ex))
        {
            return true;
        }
    }

    /// <summary>
    /// Releases the lock. With <paramref name="deleteFiles"/> (the checkpoint is gone) the lock file goes too on Windows.
    /// On POSIX it stays (empty): another process may have opened it and be waiting to lock it, and a lock taken on a
    /// deleted file would protect nothing while a third process locks a new file of the same name.
    /// </summary>
    public void Release(bool deleteFiles)
    {
        if (_handle is null)
        {
            return;
        }

        try
        {
            // Before the lock goes: afterwards the owner file may already be the next holder's.
            DeleteOwnerFile();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A reader held it (Windows). A stale owner file is harmless: only the lock says whether a run holds the
            // checkpoint, and the next holder replaces the file.
        }
        finally
        {
            // Always: a lock handle left to the finalizer shows the checkpoint as Running in this session until then.
            _handle.Dispose();
            _handle = null;
        }

        if (deleteFiles && OperatingSystemIsWindows())
        {
            try
            {
                File.Delete(_location.LockPath);
            }
            catch (IOException)
            {
                // Another run opened it in the meantime and now owns it: leaving it is correct.
            }
        }
    }

    public void Dispose() => Release(deleteFiles: false);

    private void DeleteOwnerFile()
    {
        if (FailNextOwnerDeleteOnThisThread is { } fault)
        {
            FailNextOwnerDeleteOnThisThread = null;
            throw fault;
        }

        if (File.Exists(_location.OwnerPath))
        {
            File.Delete(_location.OwnerPath);
        }
    }

    /// <summary>
    /// True for "someone else holds it": a sharing or lock violation on Windows, EWOULDBLOCK from flock on Unix
    /// (.NET reports the errno as the HResult there). Any other I/O error is a real error and propagates.
    /// </summary>
    private static bool IsHeldError(IOException ex)
    {
        if (ex is FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        {
            return false;
        }

        const int SharingViolation = 32, LockViolation = 33, LinuxWouldBlock = 11, BsdWouldBlock = 35;
        return OperatingSystemIsWindows()
            ? (ex.HResult & 0xFFFF) is SharingViolation or LockViolation
            : ex.HResult is LinuxWouldBlock or BsdWouldBlock;
    }

    private static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
        {
            return true;
        }

        var variable = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        return variable == "1" || string.Equals(variable, "true", StringComparison.OrdinalIgnoreCase);
    }

    private static bool OperatingSystemIsWindows()
        => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
}
