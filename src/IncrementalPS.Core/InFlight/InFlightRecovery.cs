using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>Folds the in-flight marks of a slots file into a key table.</summary>
internal static class InFlightRecovery
{
    /// <summary>
    /// Applies <paramref name="marks"/> to <paramref name="keys"/>. With <paramref name="processDied"/> (the reader holds
    /// the lock, so the marking run is gone) each marked item counts one more death and becomes unfinished; otherwise
    /// (a live run seen from outside) it is in flight. A mark whose attempt already has a result in the journal is stale:
    /// the run recorded the result and died before clearing the mark. Marked keys get no file offset
    /// (<see cref="KeyEntry.Offset"/> = -1) until a record is written for them. Returns the keys changed.
    /// </summary>
    public static List<string> Apply(KeyTable keys, IReadOnlyList<InFlightMark> marks, bool processDied)
    {
        var changed = new List<string>();
        foreach (var mark in marks)
        {
            var known = keys.TryGet(mark.Key, out var entry);
            if (known && entry.Status != KeyStatus.Started && entry.Attempts >= mark.Attempt)
            {
                continue;
            }

            keys.Set(mark.Key, new KeyEntry
            {
                Offset = -1,
                Run = mark.Run,
                Attempts = (ushort)Math.Min(Math.Max(mark.Attempt, entry.Attempts), ushort.MaxValue),
                Deaths = (byte)Math.Min(mark.Deaths + (processDied ? 1 : 0), byte.MaxValue),
                Status = processDied ? KeyStatus.Interrupted : KeyStatus.Started,
            });
            changed.Add(mark.Key);
        }

        return changed;
    }
}
