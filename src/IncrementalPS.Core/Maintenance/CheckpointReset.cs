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
    public static int ResetKeys(CheckpointLocation location, IEnumerable<string> keys) => ResetKeys(location, keys, hasher: null);

    /// <summary>
    /// Forgets the given clear keys, hashed with <paramref name="hasher"/> as a run with it stores them (null: keys are
    /// stored as given). Returns how many of them the checkpoint knew.
    /// </summary>
    /// <exception cref="CheckpointKeyHashException">The secret (or its absence) does not fit the checkpoint.</exception>
    public static int ResetKeys(CheckpointLocation location, IEnumerable<string> keys, KeyHasher? hasher)
        => EngineBoundary.Call(location, () => ResetOperations.Forget(location, keys, failedOnly: false, hasher));

    /// <summary>
    /// Throws unless the file is a checkpoint (a damaged one counts) and the files beside it are its own: for a command
    /// about to ask whether to change it, so that nobody confirms a change that is then refused. The change checks
    /// again, under the lock.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file, or one beside it, is not this product's (nothing was changed).</exception>
    public static void EnsureOursBeforeAsking(CheckpointLocation location)
        => EngineBoundary.Call(location, () =>
        {
            CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
            CheckpointSidecars.EnsureOwnBeforeAsking(location);
            return 0;
        });

    /// <summary>
    /// Forgets keys as the checkpoint stores them (as <see cref="CheckpointInspector.ReadItems"/> lists them: for a
    /// checkpoint of hashed keys, the hashes), so no secret is needed. Returns how many of them the checkpoint knew.
    /// </summary>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    public static int ResetStoredKeys(CheckpointLocation location, IEnumerable<string> keys)
        => EngineBoundary.Call(location, () => ResetOperations.Forget(location, keys, failedOnly: false, hasher: null, keysAsStored: true));

    /// <summary>
    /// Drops the saved output of completed items and replaces the error message of failed items with
    /// <see cref="SavedTextRemoval.RemovedMessage"/>, keeping every item's state (and an error's type and category):
    /// for output and errors that may hold personal data. Returns how many records lost text.
    /// </summary>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint (and was not changed).</exception>
    public static int DropSavedText(CheckpointLocation location) => EngineBoundary.Call(location, () => ResetOperations.DropSavedText(location));
}
