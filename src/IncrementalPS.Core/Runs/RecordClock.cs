using System;
using System.Diagnostics;

namespace IncrementalPS.Core;

/// <summary>
/// The wall-clock time of an item's end, from the monotonic timestamp its duration was measured with: one read of the
/// system clock a second instead of one per record. Each clock read costs about 30 ns on a virtual machine, and an item
/// took four. Records keep milliseconds; within a second the two clocks drift apart by far less, and a step of the
/// system clock shows from the next second on. A clock a test set is read as it is, every time. Not thread-safe: the
/// session calls it under its lock.
/// </summary>
internal sealed class RecordClock
{
    private readonly Func<DateTime> _clock;
    private readonly bool _derive;
    private long _baseTimestamp;
    private DateTime _baseTime;
    private bool _based;

    public RecordClock(Func<DateTime> clock)
        : this(clock, derive: ReferenceEquals(clock, RunOptions.SystemClock))
    {
    }

    /// <summary>Tests: <paramref name="derive"/> says whether times are derived from timestamps or read per record.</summary>
    internal RecordClock(Func<DateTime> clock, bool derive)
    {
        _clock = clock;
        _derive = derive;
    }

    /// <summary>The time at <paramref name="timestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> of a moment ago).</summary>
    public DateTime At(long timestamp)
    {
        if (!_derive)
        {
            return _clock();
        }

        // A timestamp a little before the base is no reason to read the clock again: parallel items take theirs
        // before they wait for the session's lock, so after a read the waiting ones all are.
        var sinceBase = timestamp - _baseTimestamp;
        if (!_based || sinceBase >= Stopwatch.Frequency || sinceBase <= -Stopwatch.Frequency)
        {
            _baseTime = _clock();
            _baseTimestamp = Stopwatch.GetTimestamp();
            _based = true;
        }

        return _baseTime + Timestamps.Between(_baseTimestamp, timestamp);
    }
}
