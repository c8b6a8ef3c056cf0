using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>
/// Removes a checkpoint, or forgets some of its items so that they run again. Every operation takes the checkpoint's
/// lock first, so it is refused while a live run holds it, and rewrites the file atomically. Every failure is a
/// <see cref="CheckpointException"/>.
/// </summary>
internal static class CheckpointReset
{
    /// <summary>Deletes the checkpoint (also a damaged one: this is the way out of a corrupt file).</summary>
    /// <exception cref="CheckpointNotFoundException">There is no checkpoint file.</exception>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    public static void Remove(CheckpointLocation location) => EngineBoundary.Call(location, () => ResetOperations.Remove(location));

    /// <summary>Forgets the failed items so that the next run processes them again. Returns how many were forgotten.</summary>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    public static int ResetFailed(CheckpointLocation location) => EngineBoundary.Call(location, () => ResetOperations.Forget(location, keys: null, failedOnly: true));

    /// <summary>Forgets the given keys, whatever their state. Returns how many of them the checkpoint knew.</summary>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    public static int ResetKeys(CheckpointLocation location, IEnumerable<string> keys) => EngineBoundary.Call(location, () => ResetOperations.Forget(location, keys, failedOnly: false));
}
