using System;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// Follows a live run from outside, read-only as status is (never the lock, never a write): reads the status every
/// interval and hands each reading on, until the run ends (the lock is released, or no worker of a PostgreSQL
/// checkpoint is live any more), the checkpoint is removed by its run, or the caller cancels.
/// </summary>
internal static class CheckpointWatch
{
    /// <summary>How often a watch reads the status: a person watching sees it move, the run does not notice.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Reads with <paramref name="read"/> until <paramref name="isLive"/> says the run ended, calling
    /// <paramref name="onLive"/> with each reading of a live run. Returns the first reading of the ended run, or null
    /// when the checkpoint disappeared after it was seen (a run that completed every item removes it).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (Ctrl+C).</exception>
    /// <exception cref="CheckpointNotFoundException">There was no checkpoint at the first reading.</exception>
    public static T? Follow<T>(Func<T> read, Func<T, bool> isLive, Action<T> onLive, TimeSpan interval, CancellationToken cancellationToken)
        where T : class
    {
        if (read is null || isLive is null || onLive is null)
        {
            throw new ArgumentNullException(read is null ? nameof(read) : isLive is null ? nameof(isLive) : nameof(onLive));
        }

        var seen = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            T status;
            try
            {
                status = read();
            }
            catch (CheckpointNotFoundException) when (seen)
            {
                return null;
            }

            seen = true;
            if (!isLive(status))
            {
                return status;
            }

            onLive(status);
            if (cancellationToken.WaitHandle.WaitOne(interval))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>A checkpoint's status as a progress snapshot, for the progress bars the front ends already draw.</summary>
    public static RunProgress ToProgress(CheckpointStatus status)
        => new(status.Name, status.Completed + status.Failed + status.InFlight, status.Completed, status.Failed, 0, status.Total,
               totalIsEstimate: false, status.Rate ?? 0, status.StartedAt is { } started ? DateTimeOffset.UtcNow - started : TimeSpan.Zero,
               currentKey: null, isFinal: false, status.State);

    /// <summary>A PostgreSQL checkpoint's status (all workers) as a progress snapshot.</summary>
    public static RunProgress ToProgress(SharedCheckpointStatus status)
        => new(status.Name, status.Completed + status.Failed + status.InFlight, status.Completed, status.Failed, 0, status.Total,
               totalIsEstimate: false, status.Rate ?? 0, TimeSpan.Zero, currentKey: null, isFinal: false,
               status.LiveWorkers.Count > 0 ? CheckpointState.Running : CheckpointState.Interrupted);
}
