using System;
using System.Collections.Generic;
using System.IO;

#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>Replays a checkpoint file into a <see cref="KeyTable"/> and a <see cref="RunHistory"/>.</summary>
internal static class JournalLoader
{
    /// <summary>Opens a file for reading while a writer may be appending or replacing it.</summary>
    public static FileStream OpenShared(string path, int bufferSize = 1)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize);

    /// <summary>Opens an existing checkpoint file for reading; a missing one is a <see cref="CheckpointNotFoundException"/>.</summary>
    public static FileStream OpenExisting(string path, int bufferSize = 1)
    {
        try
        {
            return OpenShared(path, bufferSize);
        }
        catch (FileNotFoundException ex)
        {
            throw new CheckpointNotFoundException(path, ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new CheckpointNotFoundException(path, ex);
        }
    }

    public static LoadedJournal Load(string path)
    {
        using var stream = OpenExisting(path);
        return Load(stream, path);
    }

    public static LoadedJournal Load(Stream stream, string path)
    {
        // Sized from the file up front: growing a dictionary of a million keys step by step rehashes it many times
        // and copies every entry through the garbage collector's generations. A record is about 100 bytes.
        var keys = new KeyTable((int)Math.Min(stream.Length / 100, 64_000_000));
        var runs = new RunHistory();
        var scan = JournalScanner.Scan(
            stream,
            path,
            details: false,
#if NET
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
            (record, offset, _) => Apply(record, offset, keys, runs));
        var details = new JournalRecordReader(stream, path, scan.Header.Version);
        if (runs.LastRecordOffset >= 0)
        {
            runs.LastRecordTime = details.ReadAt(runs.LastRecordOffset).Time;
        }

        if (runs.StartedOffset >= 0)
        {
            // The scan skips details for speed; a few more reads fetch what the latest run's summary needs.
            var started = details.ReadAt(runs.StartedOffset);
            runs.StartedAt = started.Time;
            runs.Fingerprint = started.Fingerprint;
            runs.Total = started.Total;
        }

        return new LoadedJournal(scan, keys, runs);
    }

    /// <summary>When the latest run's most recent results were recorded, oldest first (for a rate seen from outside).</summary>
    public static List<DateTime> RecentResultTimes(Stream stream, string path, LoadedJournal journal)
    {
        var runs = journal.Runs;
        var reader = new JournalRecordReader(stream, path, journal.Scan.Header.Version);
        var n = Math.Min(runs.RecentCount, runs.RecentProcessed.Length);
        var times = new List<DateTime>(n);
        for (var i = runs.RecentCount - n; i < runs.RecentCount; i++)
        {
            if (reader.ReadAt(runs.RecentProcessed[i % runs.RecentProcessed.Length]).Time is DateTime t)
            {
                times.Add(t);
            }
        }

        // In file order they may be a little out of time order: parallel items take their time before the lock.
        times.Sort();
        return times;
    }

    /// <summary>An item in flight or interrupted: its attempts so far are kept (the record may not carry them all).</summary>
    private static void Unfinished(KeyTable keys, JournalRecord record, long offset, int run, KeyStatus status)
    {
        keys.TryGet(record.Key!, out var before);
        keys.Set(record.Key!, new KeyEntry
        {
            Offset = offset,
            Run = run,
            Attempts = Math.Max(record.Attempt, before.Attempts),
            Deaths = record.Deaths,
            Status = status,
        });
    }

    // A load calls this once per record, millions of times in one go: compile it optimized from the start
    // instead of running unoptimized code until tiered compilation catches up.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private static void Apply(JournalRecord record, long offset, KeyTable keys, RunHistory runs)
    {
        runs.LastRecordOffset = offset;
        switch (record.Type)
        {
            case RecordType.ItemStarted:
                Unfinished(keys, record, offset, record.Run, KeyStatus.Started);
                break;
            case RecordType.ItemCompleted:
            case RecordType.ItemFailed:
                var finished = new KeyEntry
                {
                    Offset = offset,
                    Run = runs.LastRun,
                    Attempts = record.Attempt,
                    // Only a poison item's failure carries deaths.
                    Deaths = record.Deaths,
                    Status = record.Type == RecordType.ItemCompleted ? KeyStatus.Completed : KeyStatus.Failed,
                    HasOutput = record.HasOutput,
                };
                keys.Set(record.Key!, finished);
                runs.NoteProcessed(offset);
                break;
            case RecordType.ItemInterrupted:
                Unfinished(keys, record, offset, runs.LastRun, KeyStatus.Interrupted);
                break;
            case RecordType.RunStarted:
                runs.LastRun = Math.Max(runs.LastRun, record.Run);
                runs.StartedOffset = offset;
                runs.RecentCount = 0;
                break;
            case RecordType.RunEnded:
                runs.LastRun = Math.Max(runs.LastRun, record.Run);
                runs.NoteEnded(offset, record.Run, record.Outcome, record.Seen, record.Reason);
                break;
        }
    }
}
