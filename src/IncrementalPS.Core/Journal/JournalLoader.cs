using System;
using System.IO;

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
        var keys = new KeyTable();
        var runs = new RunHistory();
        var scan = JournalScanner.Scan(stream, path, details: false, (record, offset, _) => Apply(record, offset, keys, runs));
        if (runs.StartedOffset >= 0)
        {
            // The scan skips run details for speed; one more read fetches them for the latest run.
            var started = new JournalRecordReader(stream, path, scan.Header.Version).ReadAt(runs.StartedOffset);
            runs.StartedProcessId = started.ProcessId;
            runs.StartedHost = started.Host;
            runs.StartedWriter = started.Writer;
            runs.Fingerprint = started.Fingerprint;
            runs.Total = started.Total;
        }

        return new LoadedJournal(scan, keys, runs);
    }

    private static void Apply(JournalRecord record, long offset, KeyTable keys, RunHistory runs)
    {
        if (record.Time is DateTime time)
        {
            runs.LastRecordTime = time;
        }

        switch (record.Type)
        {
            case RecordType.ItemStarted:
                keys.TryGet(record.Key!, out var started);
                keys.Set(record.Key!, new KeyEntry
                {
                    Offset = offset,
                    Run = record.Run,
                    Attempts = Clamp16(Math.Max(record.Attempt, started.Attempts)),
                    Deaths = Clamp8(record.Deaths),
                    Status = KeyStatus.Started,
                });
                break;
            case RecordType.ItemCompleted:
            case RecordType.ItemFailed:
                var finished = new KeyEntry
                {
                    Offset = offset,
                    Run = runs.LastRun,
                    Attempts = Clamp16(record.Attempt),
                    Status = record.Type == RecordType.ItemCompleted ? KeyStatus.Completed : KeyStatus.Failed,
                    HasOutput = record.HasOutput,
                };
                keys.Set(record.Key!, finished);
                runs.NoteProcessed(record.Time, runs.LastRun);
                break;
            case RecordType.ItemInterrupted:
                keys.TryGet(record.Key!, out var interrupted);
                keys.Set(record.Key!, new KeyEntry
                {
                    Offset = offset,
                    Run = runs.LastRun,
                    Attempts = interrupted.Attempts,
                    Deaths = Clamp8(record.Deaths),
                    Status = KeyStatus.Interrupted,
                });
                break;
            case RecordType.RunStarted:
                runs.LastRun = Math.Max(runs.LastRun, record.Run);
                runs.StartedOffset = offset;
                runs.StartedAt = record.Time;
                runs.ProcessedInLastRun = 0;
                runs.RecentCount = 0;
                break;
            case RecordType.RunEnded:
                runs.LastRun = Math.Max(runs.LastRun, record.Run);
                runs.EndedOffset = offset;
                runs.EndedRun = record.Run;
                runs.Outcome = record.Outcome;
                runs.EndedSeen = record.Seen;
                break;
        }
    }

    private static ushort Clamp16(int value) => (ushort)Math.Min(Math.Max(value, 0), ushort.MaxValue);

    private static byte Clamp8(int value) => (byte)Math.Min(Math.Max(value, 0), byte.MaxValue);
}
