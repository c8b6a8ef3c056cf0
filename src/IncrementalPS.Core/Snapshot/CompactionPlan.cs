using System;
using System.Collections.Generic;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// What a compaction keeps, taken from the key table and run history at one moment (journal end <see cref="End"/>):
/// the offset of each live record before it, with its key, and what to write for keys known to be unfinished.
/// Taking it is a memory copy, O(keys); copying the records (<see cref="CopyPrefix"/>) touches neither table, so it
/// can run while the live run goes on appending past <see cref="End"/>.
/// </summary>
internal sealed class CompactionPlan
{
    // Ordered by where each record sits in the old file. A null owner marks a run record.
    private readonly long[] _offsets;
    private readonly string?[] _owners;
    private readonly KeyEntry[] _entries;
    private readonly int _count;
    private readonly List<KeyValuePair<string, KeyEntry>> _unrecorded;
    private readonly long[] _newOffsets;
    private readonly long[] _unrecordedOffsets;

    private CompactionPlan(long end, long[] offsets, string?[] owners, KeyEntry[] entries, int count, List<KeyValuePair<string, KeyEntry>> unrecorded)
    {
        End = end;
        _offsets = offsets;
        _owners = owners;
        _entries = entries;
        _count = count;
        _unrecorded = unrecorded;
        _newOffsets = new long[count];
        _unrecordedOffsets = new long[unrecorded.Count];
    }

    /// <summary>The journal's end when the plan was taken: every record it keeps starts before it.</summary>
    public long End { get; }

    /// <summary>How many records the compacted prefix holds.</summary>
    public long Records => _count + _unrecorded.Count;

    /// <summary>Takes the plan for a journal that ends at <paramref name="end"/>. Under the store's lock.</summary>
    public static CompactionPlan Take(KeyTable keys, RunHistory runs, long end)
    {
        var capacity = keys.Count + 3;
        var offsets = new long[capacity];
        var owners = new string?[capacity];
        var entries = new KeyEntry[capacity];
        var n = 0;
        var unrecorded = new List<KeyValuePair<string, KeyEntry>>();
        foreach (var pair in keys.Entries)
        {
            if (pair.Value.Offset < 0)
            {
                // Marked in flight in the slots file only. The live run's own marks stay there; marks left by a run
                // that died get their first record here.
                if (pair.Value.Status != KeyStatus.Started)
                {
                    unrecorded.Add(pair);
                }

                continue;
            }

            offsets[n] = pair.Value.Offset;
            entries[n] = pair.Value;
            owners[n++] = pair.Key;
        }

        foreach (var offset in RunOffsets(runs))
        {
            offsets[n++] = offset;
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(offsets, order, 0, n);
        var sortedOwners = new string?[n];
        var sortedEntries = new KeyEntry[n];
        for (var i = 0; i < n; i++)
        {
            sortedOwners[i] = owners[order[i]];
            sortedEntries[i] = entries[order[i]];
        }

        return new CompactionPlan(end, offsets, sortedOwners, sortedEntries, n, unrecorded);
    }

    /// <summary>
    /// Writes the header and the kept records read from <paramref name="source"/> (byte for byte; upgraded to the current
    /// version if older; unfinished keys as item-interrupted records). Returns where the prefix ends in <paramref name="target"/>.
    /// </summary>
    public long CopyPrefix(Stream source, Stream target, string path, Func<byte[], byte[]>? rewrite = null)
    {
        var lines = new JournalLineReader(source);
        if (!lines.TryReadLine(out _, out var header, out _))
        {
            throw new InvalidOperationException("The checkpoint lost its header during compaction.");
        }

        // An older file is rewritten in the current version: the run that compacts it goes on appending current lines.
        var upgrade = JournalUpgrade.VersionOf(header) < JournalFormat.CurrentVersion;
        WriteLine(target, upgrade ? JournalUpgrade.HeaderToCurrent(header) : header);
        var now = DateTime.UtcNow;
        using var serializer = new RecordWriter();
        var next = 0;
        while (next < _count && lines.TryReadLine(out var offset, out var line, out var terminated))
        {
            if (offset != _offsets[next] || !terminated)
            {
                continue;
            }

            _newOffsets[next] = target.Position;
            var key = _owners[next];
            if (key is not null && _entries[next].Status == KeyStatus.Interrupted)
            {
                WriteInterrupted(target, serializer, key, _entries[next], now);
            }
            else if (rewrite is not null)
            {
                WriteLine(target, rewrite(upgrade ? JournalUpgrade.RecordToCurrent(line) : line.ToArray()));
            }
            else
            {
                WriteLine(target, upgrade ? JournalUpgrade.RecordToCurrent(line) : line);
            }

            next++;
        }

        if (next != _count)
        {
            throw new InvalidOperationException($"Compaction found {next} of {_count} live records in '{path}'; the checkpoint was left as it was.");
        }

        for (var i = 0; i < _unrecorded.Count; i++)
        {
            _unrecordedOffsets[i] = target.Position;
            WriteInterrupted(target, serializer, _unrecorded[i].Key, _unrecorded[i].Value, now);
        }

        return target.Position;
    }

    /// <summary>
    /// The offsets the key table and run history take once the compacted file replaces the journal: a record the plan
    /// kept moves to where <see cref="CopyPrefix"/> wrote it (if its key still points at it); a record appended at or
    /// after <see cref="End"/> moves by as much as the prefix shrank (the tail is copied after the prefix, verbatim).
    /// Computed before the swap, so that applying it cannot fail halfway.
    /// </summary>
    public CompactionRemap Remap(KeyTable keys, RunHistory runs, long prefixLength)
    {
        var shift = prefixLength - End;
        var moves = new List<KeyValuePair<string, KeyEntry>>(keys.Count);
        foreach (var pair in keys.Entries)
        {
            var entry = pair.Value;
            if (entry.Offset < 0)
            {
                continue;
            }

            entry.Offset = entry.Offset >= End ? entry.Offset + shift : NewOffsetOf(entry.Offset, pair.Key);
            moves.Add(new KeyValuePair<string, KeyEntry>(pair.Key, entry));
        }

        for (var i = 0; i < _unrecorded.Count; i++)
        {
            // Still unrecorded: its record is the one the compaction wrote. Otherwise the run recorded it since.
            if (keys.TryGet(_unrecorded[i].Key, out var entry) && entry.Offset < 0 && entry.Status != KeyStatus.Started)
            {
                entry.Offset = _unrecordedOffsets[i];
                entry.Status = KeyStatus.Interrupted;
                moves.Add(new KeyValuePair<string, KeyEntry>(_unrecorded[i].Key, entry));
            }
        }

        return new CompactionRemap(moves, RunOffset(runs.StartedOffset, shift), RunOffset(runs.EndedOffset, shift), RunOffset(runs.FinishedOffset, shift));
    }

    private static IEnumerable<long> RunOffsets(RunHistory runs)
    {
        if (runs.EndedOffset >= 0)
        {
            yield return runs.EndedOffset;
        }

        if (runs.StartedOffset >= 0)
        {
            yield return runs.StartedOffset;
        }

        // Kept beside a later stopped run's end: it says how large the input is.
        if (runs.FinishedOffset >= 0 && runs.FinishedOffset != runs.EndedOffset)
        {
            yield return runs.FinishedOffset;
        }
    }

    private long RunOffset(long offset, long shift)
        => offset < 0 ? offset : offset >= End ? offset + shift : NewOffsetOf(offset, owner: null);

    private long NewOffsetOf(long offset, string? owner)
    {
        var i = Array.BinarySearch(_offsets, 0, _count, offset);
        if (i < 0 || !string.Equals(_owners[i], owner, StringComparison.Ordinal))
        {
            // Every record before End that the tables point at was in them when the plan was taken.
            throw new InvalidOperationException($"Compaction lost track of the record at offset {offset}; the checkpoint was left as it was.");
        }

        return _newOffsets[i];
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
