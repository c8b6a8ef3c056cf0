using System;

namespace IncrementalPS.Core;

/// <summary>Builds a <see cref="CheckpointStatus"/> from the file and the lock, without taking the lock.</summary>
internal static class StatusReader
{
    public static CheckpointStatus Read(CheckpointLocation location)
    {
        // Probe the lock before reading, so a run that ends in between is seen as ended, not as running with stale counts.
        var running = CheckpointLock.IsHeld(location);
        var journal = JournalLoader.Load(location.FilePath);
        var runs = journal.Runs;
        var keys = journal.Keys;

        var state = running ? CheckpointState.Running : runs.StoppedState(keys);
        var total = runs.EstimatedTotal;
        double? rate = null;
        TimeSpan? eta = null;
        if (running)
        {
            rate = RecentRate(runs);
            if (rate > 0 && total is long t)
            {
                var remaining = Math.Max(0, t - keys.Completed - keys.Failed);
                eta = TimeSpan.FromSeconds(remaining / rate.Value);
            }
        }

        return new CheckpointStatus(
            location.Name,
            location.FilePath,
            state,
            keys.Completed,
            keys.Failed,
            keys.InFlight,
            total,
            rate,
            eta,
            ToOffset(runs.StartedAt),
            ToOffset(runs.LastRecordTime),
            running ? OwnerFile.TryRead(location.OwnerPath) : null,
            journal.Scan.Header.Version,
            runs.LastRun);
    }

    /// <summary>Items per second over the live run's most recent records, decaying when the run stalls.</summary>
    private static double RecentRate(RunHistory runs)
    {
        var n = Math.Min(runs.RecentCount, runs.RecentProcessed.Length);
        if (n == 0 || runs.StartedAt is null)
        {
            return 0;
        }

        var newest = runs.RecentProcessed[(runs.RecentCount - 1) % runs.RecentProcessed.Length];
        var oldest = runs.RecentCount > runs.RecentProcessed.Length
            ? runs.RecentProcessed[runs.RecentCount % runs.RecentProcessed.Length]
            : runs.StartedAt.Value;
        var window = (Max(newest, DateTime.UtcNow) - oldest).TotalSeconds;
        var counted = runs.RecentCount > runs.RecentProcessed.Length ? n - 1 : n;
        return window > 0 ? counted / window : 0;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTimeOffset? ToOffset(DateTime? time)
        => time is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
