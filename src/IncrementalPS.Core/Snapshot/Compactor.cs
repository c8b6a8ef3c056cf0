using System;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// Rewrites a checkpoint as its live state only: the header, the latest run-ended and run-started records (and the
/// latest run-ended of a run that saw the end of its input, when a stopped run ended since), and the
/// latest record of each key, in their original order. Records are copied byte for byte (errors and saved output come
/// along without being held in memory); keys known to be unfinished are written as item-interrupted records.
/// The new file replaces the old one atomically and durably, in the current format version (an older file is upgraded).
/// Cost: one sequential pass over the old file.
/// </summary>
internal static class Compactor
{
    /// <summary>Compacts <paramref name="path"/>, updating the offsets in <paramref name="keys"/> and <paramref name="runs"/>. Returns the new length and record count.</summary>
    public static (long Length, long Records) Compact(string path, KeyTable keys, RunHistory runs)
    {
        // Everything to keep, ordered by where it sits in the old file. A null key marks a run record.
        var count = keys.Count + 3;
        var offsets = new long[count];
        var owners = new string?[count];
        var n = 0;
        var unrecorded = new System.Collections.Generic.List<string>();
        foreach (var pair in keys.Entries)
        {
            if (pair.Value.Offset < 0)
            {
                // Marked in flight in the slots file only. The live run's own marks stay there; marks left by a run
                // that died get their first record here.
                if (pair.Value.Status != KeyStatus.Started)
                {
                    unrecorded.Add(pair.Key);
                }

                continue;
            }

            offsets[n] = pair.Value.Offset;
            owners[n++] = pair.Key;
        }

        if (runs.EndedOffset >= 0)
        {
            offsets[n++] = runs.EndedOffset;
        }

        if (runs.StartedOffset >= 0)
        {
            offsets[n++] = runs.StartedOffset;
        }

        // Kept beside a later stopped run's end: it says how large the input is.
        if (runs.FinishedOffset >= 0 && runs.FinishedOffset != runs.EndedOffset)
        {
            offsets[n++] = runs.FinishedOffset;
        }

        Array.Sort(offsets, owners, 0, n);
        var newOffsets = new long[n];
        var unrecordedOffsets = new System.Collections.Generic.List<long>();
        long length = 0;
        var now = DateTime.UtcNow;
        using var serializer = new RecordWriter();

        string temp;
        using (var source = JournalLoader.OpenShared(path, bufferSize: 1 << 16))
        {
            var lines = new JournalLineReader(source);
            temp = AtomicFile.WriteTemp(path, target =>
            {
                if (!lines.TryReadLine(out _, out var header, out _))
                {
                    throw new InvalidOperationException("The checkpoint lost its header during compaction.");
                }

                // An older file is rewritten in the current version: the run that compacts it goes on appending current lines.
                var upgrade = JournalUpgrade.VersionOf(header) < JournalFormat.CurrentVersion;
                WriteLine(target, upgrade ? JournalUpgrade.HeaderToCurrent(header) : header);
                var next = 0;
                while (next < n && lines.TryReadLine(out var offset, out var line, out var terminated))
                {
                    if (offset != offsets[next] || !terminated)
                    {
                        continue;
                    }

                    newOffsets[next] = target.Position;
                    var key = owners[next];
                    if (key is not null && keys.TryGet(key, out var entry) && entry.Status == KeyStatus.Interrupted)
                    {
                        WriteInterrupted(target, serializer, key, entry, now);
                    }
                    else
                    {
                        WriteLine(target, upgrade ? JournalUpgrade.RecordToCurrent(line) : line);
                    }

                    next++;
                }

                if (next != n)
                {
                    throw new InvalidOperationException($"Compaction found {next} of {n} live records in '{path}'; the checkpoint was left as it was.");
                }

                foreach (var key in unrecorded)
                {
                    keys.TryGet(key, out var entry);
                    unrecordedOffsets.Add(target.Position);
                    WriteInterrupted(target, serializer, key, entry, now);
                }

                length = target.Position;
            }, durable: true);
        }

        AtomicFile.Commit(temp, path, durable: true);

        var oldEnded = runs.EndedOffset;
        var oldFinished = runs.FinishedOffset;
        var oldStarted = runs.StartedOffset;
        for (var i = 0; i < n; i++)
        {
            var key = owners[i];
            if (key is not null)
            {
                keys.TryGet(key, out var entry);
                entry.Offset = newOffsets[i];
                keys.Set(key, entry);
                continue;
            }

            if (offsets[i] == oldEnded)
            {
                runs.EndedOffset = newOffsets[i];
            }

            if (offsets[i] == oldFinished)
            {
                runs.FinishedOffset = newOffsets[i];
            }

            if (offsets[i] == oldStarted)
            {
                runs.StartedOffset = newOffsets[i];
            }
        }

        for (var i = 0; i < unrecorded.Count; i++)
        {
            keys.TryGet(unrecorded[i], out var entry);
            entry.Offset = unrecordedOffsets[i];
            entry.Status = KeyStatus.Interrupted;
            keys.Set(unrecorded[i], entry);
        }

        return (length, n + unrecorded.Count);
    }

    private static void WriteInterrupted(Stream target, RecordWriter serializer, string key, KeyEntry entry, DateTime now)
    {
        var record = serializer.ItemInterrupted(key, now, entry.Attempts, entry.Deaths);
        target.Write(record.Array!, record.Offset, record.Count);
    }

    private static void WriteLine(Stream target, ReadOnlySpan<byte> line)
    {
#if NET
        target.Write(line);
#else
        var copy = line.ToArray();
        target.Write(copy, 0, copy.Length);
#endif
        target.WriteByte((byte)'\n');
    }
}
