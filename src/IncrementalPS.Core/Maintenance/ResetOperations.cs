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
        held.Release(deleteFiles: true);
    }

    public static int Forget(CheckpointLocation location, IEnumerable<string>? keys, bool failedOnly)
    {
        EnsureCheckpointIfPresent(location);
        using var held = CheckpointLock.Acquire(location, Writer);
        var journal = JournalLoader.Load(location.FilePath);
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
                if (key is not null && journal.Keys.TryGet(key, out _))
                {
                    forget.Add(key);
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

    private static void EnsureCheckpointIfPresent(CheckpointLocation location)
    {
        if (File.Exists(location.FilePath))
        {
            CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
        }
    }
}
