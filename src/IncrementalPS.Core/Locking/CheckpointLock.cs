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

    private CheckpointLock(CheckpointLocation location, FileStream handle)
    {
        _location = location;
        _handle = handle;
    }

    /// <summary>Takes the checkpoint's lock and records this process as its owner.</summary>
    /// <exception cref="CheckpointLockedException">Another live run holds it.</exception>
    public static CheckpointLock Acquire(CheckpointLocation location, string writer)
    {
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

            var held = new CheckpointLock(location, handle);
            OwnerFile.Write(location.OwnerPath, CheckpointOwner.ForCurrentProcess(writer));
            return held;
        }
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

    /// <summary>Releases the lock. With <paramref name="deleteFiles"/> (the checkpoint is gone) the lock and owner files go too.</summary>
    public void Release(bool deleteFiles)
    {
        if (_handle is null)
        {
            return;
        }

        DeleteIfExists(_location.OwnerPath);
        if (deleteFiles && !OperatingSystemIsWindows())
        {
            // POSIX: unlink while still holding the lock, so no one can lock the old file after we let go.
            DeleteIfExists(_location.LockPath);
        }

        _handle.Dispose();
        _handle = null;

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

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static bool IsHeldError(IOException ex)
        => ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException;

    private static bool OperatingSystemIsWindows()
        => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
}
