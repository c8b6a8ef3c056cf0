using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>Builds a <see cref="CheckpointStatus"/> from the file and the lock, without taking the lock.</summary>
internal static class StatusReader
{
    public static CheckpointStatus Read(CheckpointLocation location)
    {
        // Probe the lock before reading, so a run that ends in between is seen as ended, not as running with stale counts.
        var running = CheckpointLock.IsHeld(location);
        using var stream = JournalLoader.OpenExisting(location.FilePath);
        var journal = JournalLoader.Load(stream, location.FilePath);
        var runs = journal.Runs;
        var keys = journal.Keys;
        InFlightRecovery.Apply(keys, InFlightSlots.ReadAll(location.InFlightPath), processDied: !running);

        var state = running ? CheckpointState.Running : runs.StoppedState(keys);
        var total = runs.EstimatedTotal;
        double? rate = null;
        TimeSpan? eta = null;
        if (running)
        {
            rate = RecentRate(JournalLoader.RecentResultTimes(stream, location.FilePath, journal), runs.StartedAt);
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

    /// <summary>Items per second over the live run's most recent results; it decays while the run stalls.</summary>
    private static double RecentRate(List<DateTime> recent, DateTime? runStarted)
    {
        if (recent.Count == 0 || runStarted is null)
        {
            return 0;
        }

        // Intervals between the results kept; a single result is measured from the run's start.
        var from = recent.Count > 1 ? recent[0] : runStarted.Value;
        var intervals = recent.Count > 1 ? recent.Count - 1 : 1;
        var window = (Max(recent[recent.Count - 1], DateTime.UtcNow) - from).TotalSeconds;
        return window > 0 ? intervals / window : 0;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTimeOffset? ToOffset(DateTime? time)
        => time is DateTime t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
