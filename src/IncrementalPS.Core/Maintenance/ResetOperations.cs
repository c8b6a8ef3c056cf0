using System;
using System.Collections.Generic;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>The work behind <see cref="CheckpointReset"/>: each operation holds the checkpoint's lock throughout.</summary>
internal static class ResetOperations
{
    private const string Writer = "IncrementalPS.Core reset";

    public static void Remove(CheckpointLocation location)
    {
        // Checked before the lock too, so that a file that is no checkpoint does not get a .lock file beside it.
        EnsureCheckpointIfPresent(location);
        using var held = CheckpointLock.Acquire(location, Writer);
        if (!location.Exists)
        {
            held.Release(deleteFiles: true);
            location.ThrowIfMissing();
        }

        // Again under the lock: this is the check that decides the delete.
        CheckpointFileCheck.EnsureRemovable(location.FilePath);
        held.RemoveStaleRewrites();
        // An antivirus or backup agent may hold either for a moment (Windows): retried, see FileRetry.
        FileRetry.Delete(location.FilePath);
        FileRetry.Delete(location.InFlightPath);
        try
        {
            // The removal survives a power failure before this returns: a checkpoint the user reset must not come back
            // with items to skip (a new run does not wait for its directory's flush before its first item).
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(location.FilePath)) ?? ".");
        }
        catch (DirectorySyncException)
        {
            // The checkpoint is gone, as asked: an error would say otherwise. A directory that cannot be flushed leaves
            // the removal where a power failure may undo it, as removals were before this flush; the device's next
            // write reports the fault.
        }

        held.Release(deleteFiles: true);
    }

    public static int Forget(CheckpointLocation location, IEnumerable<string>? keys, bool failedOnly, KeyHasher? hasher = null, bool keysAsStored = false)
    {
        EnsureCheckpointIfPresent(location);
        using var held = CheckpointLock.Acquire(location, Writer);
        var journal = JournalLoader.Load(location.FilePath);
        if (!failedOnly && !keysAsStored)
        {
            // Keys given by a user are clear: they match only through the checkpoint's own secret.
            KeyHashCheck.Verify(journal.Scan.Header.KeyHashCheck, hasher, location.FilePath);
        }

        FileOwnership.EnsureWritable(location.FilePath);
        held.RemoveStaleRewrites();
        var died = InFlightRecovery.Apply(journal.Keys, InFlightSlots.ReadAll(location.InFlightPath), processDied: true);
        var forget = new List<string>();
        if (failedOnly)
        {
            foreach (var pair in journal.Keys.Entries)
            {
                if (pair.Value.Status == KeyStatus.Failed)
                {
                    forget.Add(pair.Key);
                }
            }
        }
        else
        {
            foreach (var key in keys ?? throw new ArgumentNullException(nameof(keys)))
            {
                var stored = key is null || hasher is null ? key : hasher.Hash(key);
                if (stored is not null && journal.Keys.TryGet(stored, out _))
                {
                    forget.Add(stored);
                }
            }
        }

        var removed = 0;
        foreach (var key in forget)
        {
            if (journal.Keys.Remove(key))
            {
                removed++;
            }
        }

        if (removed > 0 || died.Count > 0 || journal.Scan.TornTail)
        {
            // Forgetting is a rewrite of the live state without those keys: atomic, like any compaction. It also
            // records what a dead run had in flight, so the slots file it left can go.
            Compactor.Compact(location.FilePath, journal.Keys, journal.Runs);
            FileRetry.Delete(location.InFlightPath);
        }

        return removed;
    }

    public static int DropSavedText(CheckpointLocation location)
    {
        // Before the lock, so that neither a missing checkpoint nor a file that is no checkpoint gets a .lock beside it.
        location.ThrowIfMissing();
        CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
        using var held = CheckpointLock.Acquire(location, Writer);
        if (!location.Exists)
        {
            held.Release(deleteFiles: true);
            location.ThrowIfMissing();
        }

        // Again under the lock: this is the check that decides the rewrite.
        CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
        var journal = JournalLoader.Load(location.FilePath);
        FileOwnership.EnsureWritable(location.FilePath);
        held.RemoveStaleRewrites();
        InFlightRecovery.Apply(journal.Keys, InFlightSlots.ReadAll(location.InFlightPath), processDied: true);
        foreach (var key in KeysWithOutput(journal.Keys))
        {
            journal.Keys.TryGet(key, out var entry);
            entry.HasOutput = false;
            journal.Keys.Set(key, entry);
        }

        // Always a rewrite, even when no live record holds text: the records a compaction leaves out (an earlier
        // attempt's error, output of a key completed again) are in the file until it is rewritten.
        using var removal = new SavedTextRemoval();
        Compactor.Compact(location.FilePath, journal.Keys, journal.Runs, removal.Rewrite);
        FileRetry.Delete(location.InFlightPath);
        return removal.Changed;
    }

    private static List<string> KeysWithOutput(KeyTable keys)
    {
        var found = new List<string>();
        foreach (var pair in keys.Entries)
        {
            if (pair.Value.HasOutput)
            {
                found.Add(pair.Key);
            }
        }

        return found;
    }

    private static void EnsureCheckpointIfPresent(CheckpointLocation location)
    {
        if (File.Exists(location.FilePath))
        {
            CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
        }
    }
}
