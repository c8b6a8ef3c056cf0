using System;

namespace IncrementalPS.Core;

/// <summary>A snapshot of a live run's progress, sent to the front end's <see cref="IProgress{T}"/>.</summary>
internal sealed class RunProgress
{
    internal RunProgress(
        string name, long seen, long completed, long failed, long skipped, long? total, bool totalIsEstimate,
        double rate, TimeSpan elapsed, string? currentKey, bool isFinal, CheckpointState state)
    {
        Name = name;
        Seen = seen;
        Completed = completed;
        Failed = failed;
        Skipped = skipped;
        Total = total;
        TotalIsEstimate = totalIsEstimate;
        Rate = rate;
        Elapsed = elapsed;
        CurrentKey = currentKey;
        IsFinal = isFinal;
        State = state;
    }

    /// <summary>The snapshot before the first item.</summary>
    internal static RunProgress Starting(string name, long? total)
        => new(name, 0, 0, 0, 0, total, false, 0, TimeSpan.Zero, null, false, CheckpointState.Running);

    /// <summary>The checkpoint's name.</summary>
    public string Name { get; }

    /// <summary>Items handed to the run so far (processed or skipped).</summary>
    public long Seen { get; }

    /// <summary>Items completed in this run.</summary>
    public long Completed { get; }

    /// <summary>Items that failed in this run (including poisoned ones).</summary>
    public long Failed { get; }

    /// <summary>Items skipped in this run (done before, failed before and not retried, or repeated keys).</summary>
    public long Skipped { get; }

    /// <summary>Items processed in this run: <see cref="Completed"/> plus <see cref="Failed"/>.</summary>
    public long Processed => Completed + Failed;

    /// <summary>The number of items in the input, given or estimated; null when unknown.</summary>
    public long? Total { get; }

    /// <summary>True when <see cref="Total"/> is an estimate from earlier runs rather than given.</summary>
    public bool TotalIsEstimate { get; }

    /// <summary>
    /// Items finished in this run: completed, failed or skipped. Unlike <see cref="Seen"/>, not the item in flight.
    /// </summary>
    public long Done => Completed + Failed + Skipped;

    /// <summary>Items not yet done (the one in flight included), when the total is known.</summary>
    public long? Remaining => Total is long t ? Math.Max(0, t - Done) : null;

    /// <summary>Percent of the input done, when the total is known.</summary>
    public double? PercentComplete => Total is long t && t > 0 ? Math.Min(100.0, 100.0 * Done / t) : null;

    /// <summary>Items processed per second, smoothed (skipped items do not count).</summary>
    public double Rate { get; }

    /// <summary>Estimated time to finish, when the total is known and the rate is positive.</summary>
    public TimeSpan? Eta => Remaining is long r && Rate > 0 ? TimeSpan.FromSeconds(Math.Min(r / Rate, TimeSpan.MaxValue.TotalSeconds / 2)) : null;

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The key most recently handed to the run.</summary>
    public string? CurrentKey { get; }

    /// <summary>True for the last notification of a run.</summary>
    public bool IsFinal { get; }

    /// <summary>Running while the run goes on; the final notification carries the state it ended in.</summary>
    public CheckpointState State { get; }
}
