using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>Lists a checkpoint's per-key records: loads the key index, then reads each wanted key's latest record.</summary>
internal static class ItemReader
{
    public static IReadOnlyList<CheckpointItem> Read(CheckpointLocation location, ItemState? state, Func<string, bool>? keyFilter)
    {
        using var stream = JournalLoader.OpenExisting(location.FilePath, bufferSize: 4096);
        var journal = JournalLoader.Load(stream, location.FilePath);
        InFlightRecovery.Apply(journal.Keys, InFlightSlots.ReadAll(location.InFlightPath), processDied: !CheckpointLock.IsHeld(location));

        var wanted = new List<KeyValuePair<string, KeyEntry>>();
        foreach (var pair in journal.Keys.Entries)
        {
            if ((state is null || pair.Value.PublicState == state) && (keyFilter is null || keyFilter(pair.Key)))
            {
                wanted.Add(pair);
            }
        }

        // File order is the order the items were recorded in, and reads the file front to back.
        wanted.Sort((a, b) => a.Value.Offset.CompareTo(b.Value.Offset));
        var reader = new JournalRecordReader(stream, location.FilePath, journal.Scan.Header.Version);
        var items = new List<CheckpointItem>(wanted.Count);
        foreach (var pair in wanted)
        {
            var entry = pair.Value;
            if (entry.Offset < 0)
            {
                // In flight per the slots file: no journal record yet.
                items.Add(new CheckpointItem(pair.Key, ItemState.InFlight, entry.Attempts, null, null, null, entry.Deaths, false));
                continue;
            }

            var record = reader.ReadAt(entry.Offset);
            TimeSpan? duration = record.Milliseconds is double ms ? TimeSpan.FromMilliseconds(ms) : null;
            DateTimeOffset? updated = record.Time is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
            items.Add(new CheckpointItem(pair.Key, entry.PublicState, entry.Attempts, record.Error, updated, duration, entry.Deaths, record.HasOutput));
        }

        return items;
    }
}
