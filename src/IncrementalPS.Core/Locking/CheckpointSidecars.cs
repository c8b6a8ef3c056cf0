using System;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// Checks the files a checkpoint keeps beside itself (lock, owner, in-flight, suspend request) before they are
/// rewritten or removed: each must be absent, or what IncrementalPS leaves there, also when killed midway or after a
/// power failure. A file of someone else's at one of those names, or one this user cannot read to check, is refused,
/// so that it is never overwritten or deleted.
/// </summary>
internal static class CheckpointSidecars
{
    // Owner files and suspend requests are a line of JSON; anything this large is not one.
    private const int LargestJson = 64 * 1024;

    /// <summary>Throws unless the lock, owner and in-flight files are this product's own (or absent).</summary>
    /// <param name="location">The checkpoint.</param>
    /// <param name="lockFile">The lock file, open and locked by the caller.</param>
    /// <exception cref="CheckpointFormatException">One of them belongs to someone else, or cannot be read to tell.</exception>
    public static void EnsureOwn(CheckpointLocation location, FileStream lockFile)
        => ThrowIfRefused(LockFileRefusal(location, lockFile.Length) ?? OwnerOrInFlightRefusal(location));

    /// <summary>
    /// The same check without the lock, for a command about to ask whether to change the checkpoint: nobody should
    /// confirm a change that is then refused. The change itself checks again under the lock.
    /// </summary>
    /// <exception cref="CheckpointFormatException">One of them belongs to someone else, or cannot be read to tell.</exception>
    public static void EnsureOwnBeforeAsking(CheckpointLocation location)
    {
        var lockFile = new FileInfo(location.LockPath);
        ThrowIfRefused((lockFile.Exists ? LockFileRefusal(location, lockFile.Length) : null) ?? OwnerOrInFlightRefusal(location));
    }

    // The lock file is only ever created, opened and locked: never written.
    private static CheckpointFormatException? LockFileRefusal(CheckpointLocation location, long length)
        => length == 0 ? null : CheckpointFormatException.ForSidecar(location.LockPath, "lock file", location.FilePath, "a lock file is always empty");

    private static CheckpointFormatException? OwnerOrInFlightRefusal(CheckpointLocation location)
        => Check(location, location.OwnerPath, "owner file", LargestJson, "it does not name a process as an owner file does",
                content => OwnerFile.TryParse(content) is not null)
            ?? Check(location, location.InFlightPath, "in-flight file", InFlightSlots.LargestFile, "it does not start as an in-flight file does",
                content => InFlightSlots.HasHeader(content));

    private static void ThrowIfRefused(CheckpointFormatException? refusal)
    {
        if (refusal is not null)
        {
            throw refusal;
        }
    }

    /// <summary>Throws unless the suspend request beside the checkpoint is one (or absent): before a start or a request replaces it.</summary>
    /// <exception cref="CheckpointFormatException">It belongs to someone else, or cannot be read to tell.</exception>
    public static void EnsureOwnSuspendRequest(CheckpointLocation location) => ThrowIfRefused(CheckSuspendRequest(location));

    /// <summary>True when the suspend request beside the checkpoint is absent, or one that may be removed.</summary>
    public static bool IsOwnSuspendRequest(CheckpointLocation location) => CheckSuspendRequest(location) is null;

    private static CheckpointFormatException? CheckSuspendRequest(CheckpointLocation location)
        => Check(location, location.SuspendPath, "suspend request", LargestJson, "it is not a JSON object, as Suspend-Checkpoint and incps write one",
            content => SuspendRequest.IsRequest(content));

    /// <summary>Null when the file is absent or this product's own; otherwise why it is refused.</summary>
    private static CheckpointFormatException? Check(CheckpointLocation location, string path, string role, int limit, string notOurs, Func<byte[], bool> isOurs)
    {
        // A stat first: at the start of a new checkpoint none of these exists, and a missing file is no exception.
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return null;
        }

        byte[] content;
        long length;
        try
        {
            (content, length) = FileRetry.Run(() => Read(path, limit));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            return CheckpointFormatException.ForSidecar(path, role, location.FilePath, $"this user cannot read it to check ({ex.Message})");
        }

        // Empty, or zeros only: created or sized and then killed, or its data lost in a power failure (the file system
        // kept its length, not its content). Neither holds anything to lose.
        if (length == content.Length && JournalScanner.IsNul(content))
        {
            return null;
        }

        return isOurs(content) ? null : CheckpointFormatException.ForSidecar(path, role, location.FilePath, notOurs);
    }

    /// <summary>Up to <paramref name="limit"/> bytes of the file, and its length.</summary>
    private static (byte[] Content, long Length) Read(string path, int limit)
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
}
