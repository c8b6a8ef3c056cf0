using System;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// Checks the files a checkpoint keeps beside itself (lock, owner, in-flight, suspend request) before the holder of its
/// lock rewrites or removes any of them: each must be absent, or what IncrementalPS leaves there, also when killed
/// midway. A file of someone else's at one of those names is refused, so that it is never overwritten or deleted.
/// </summary>
internal static class CheckpointSidecars
{
    // Owner files and suspend requests are a line of JSON; anything this large is not one.
    private const int LargestJson = 64 * 1024;

    /// <summary>Throws unless every file beside the checkpoint is this product's own (or absent).</summary>
    /// <param name="location">The checkpoint.</param>
    /// <param name="lockFile">The lock file, open and locked by the caller.</param>
    /// <exception cref="CheckpointFormatException">One of them belongs to someone else.</exception>
    public static void EnsureOwn(CheckpointLocation location, FileStream lockFile)
    {
        // The lock file is only ever created, opened and locked: never written.
        if (lockFile.Length != 0)
        {
            throw CheckpointFormatException.ForSidecar(location.LockPath, "lock file", location.FilePath, "a lock file is always empty");
        }

        if (Read(location.OwnerPath, LargestJson) is { } owner && owner.Content.Length > 0 && OwnerFile.TryParse(owner.Content) is null)
        {
            throw CheckpointFormatException.ForSidecar(location.OwnerPath, "owner file", location.FilePath, "it does not name a process as an owner file does");
        }

        if (Read(location.InFlightPath, InFlightSlots.LargestFile) is { } inFlight && inFlight.Length > 0 && !InFlightSlots.IsOwnContent(inFlight.Content, inFlight.Length))
        {
            throw CheckpointFormatException.ForSidecar(location.InFlightPath, "in-flight file", location.FilePath, "it does not start as an in-flight file does");
        }

        if (Read(location.SuspendPath, LargestJson) is { } request && request.Content.Length > 0 && !SuspendRequest.IsRequest(request.Content))
        {
            throw CheckpointFormatException.ForSidecar(location.SuspendPath, "suspend request", location.FilePath, "it is not a JSON object, as Suspend-Checkpoint and incps write one");
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> bytes of the file and its length; null when there is no such file, or when this
    /// user cannot read it (then whatever rewrites or removes it meets the same refusal and reports it).
    /// </summary>
    private static (byte[] Content, long Length)? Read(string path, int limit)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            var length = stream.Length;
            var content = new byte[(int)Math.Min(length, limit)];
            var read = 0;
            while (read < content.Length && stream.Read(content, read, content.Length - read) is var n && n > 0)
            {
                read += n;
            }

            return (read == content.Length ? content : content.AsSpan(0, read).ToArray(), length);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
