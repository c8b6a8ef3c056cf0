using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// Counts what a run does and turns it into <see cref="RunProgress"/> snapshots: throttled notifications to the front
/// end, and the progress file. Not thread-safe: the session calls it under its lock.
/// </summary>
internal sealed class ProgressTracker
{
    private readonly string _name;
    private readonly IProgress<RunProgress>? _sink;
    private readonly long _intervalTicks;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly RateEstimator _rate = new();
    private long _lastReportTicks = long.MinValue;

    public ProgressTracker(string name, IProgress<RunProgress>? sink, TimeSpan interval, long? total, bool totalIsEstimate)
    {
        _name = name;
        _sink = sink;
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        Total = total;
        TotalIsEstimate = totalIsEstimate;
    }

    public long Seen;
    public long Completed;
    public long Failed;
    public long Skipped;
    public long SkippedFailed;

    /// <summary>Items not started because the run was suspending (they run on resume).</summary>
    public long Deferred;
    public string? CurrentKey;

    public long? Total { get; private set; }

    public bool TotalIsEstimate { get; private set; }

    public TimeSpan Elapsed => Timestamps.Between(_startTimestamp, Stopwatch.GetTimestamp());

    /// <summary>
    /// Notes a newly seen item. An estimated total that the input outgrows is dropped: the total is unknown from then
    /// on (no percent, no ETA) rather than a bar stuck at 100% with nothing left to go.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NoteSeen(string key)
    {
        Seen++;
        CurrentKey = key;
        if (TotalIsEstimate && Total is long t && Seen > t)
        {
            Total = null;
            TotalIsEstimate = false;
        }
    }

    /// <summary>The run saw the end of its input: unless given, the total is what it saw, no longer unknown or estimated.</summary>
    public void InputEnded()
    {
        if (Total is not null && !TotalIsEstimate)
        {
            return;
        }

        Total = Seen;
        TotalIsEstimate = false;
    }

    /// <summary>Sends a notification when the last one is older than the interval.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MaybeReport() => MaybeReport(Stopwatch.GetTimestamp());

    /// <summary>
    /// Sends a notification when the last one is older than the interval at <paramref name="timestamp"/> (a
    /// <see cref="Stopwatch.GetTimestamp"/> the caller took anyway: a clock read per item is worth saving).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MaybeReport(long timestamp)
    {
        if (_sink is null)
        {
            return;
        }

        var now = timestamp - _startTimestamp;
        if (_lastReportTicks != long.MinValue && now - _lastReportTicks < _intervalTicks)
        {
            return;
        }

        _lastReportTicks = now;
        _sink.Report(Snapshot(isFinal: false, CheckpointState.Running));
    }

    public void ReportFinal(CheckpointState state) => _sink?.Report(Snapshot(isFinal: true, state));

    public RunProgress Snapshot(bool isFinal, CheckpointState state)
    {
        var elapsed = Elapsed;
        var rate = _rate.Update(elapsed.TotalSeconds, Completed + Failed);
        return new RunProgress(_name, Seen, Completed, Failed, Skipped, Total, TotalIsEstimate, rate, elapsed, CurrentKey, isFinal, state);
    }
}
