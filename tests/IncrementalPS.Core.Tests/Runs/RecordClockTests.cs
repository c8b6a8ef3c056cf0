using System;
using System.Diagnostics;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// Records are stamped with the system's time, derived from the timestamp each item's duration is measured with; a
/// clock a test sets is read as it is.
/// </summary>
public sealed class RecordClockTests
{
    [Fact]
    public void The_time_of_a_timestamp_is_the_system_time_at_that_moment()
    {
        var clock = new RecordClock(RunOptions.SystemClock);

        for (var i = 0; i < 1000; i++)
        {
            var before = DateTime.UtcNow;
            var at = clock.At(Stopwatch.GetTimestamp());
            var after = DateTime.UtcNow;

            // The system clock's own resolution is a tick or better here; a millisecond leaves room for a busy machine.
            Assert.InRange(at, before.AddMilliseconds(-1), after.AddMilliseconds(1));
        }
    }

    [Fact]
    public void A_timestamp_a_second_or_more_away_reads_the_system_clock_again()
    {
        var clock = new RecordClock(RunOptions.SystemClock);
        var now = Stopwatch.GetTimestamp();
        clock.At(now);

        // Two seconds ahead of now: the time is now's plus two seconds (the clock was read again, not extrapolated
        // from a base two seconds old, which would give the same here but not after a step of the system clock).
        var later = clock.At(now + (2 * Stopwatch.Frequency));
        var expected = DateTime.UtcNow.AddSeconds(2);

        Assert.InRange(later, expected.AddMilliseconds(-50), expected.AddMilliseconds(50));
        Assert.Equal(DateTimeKind.Utc, later.Kind);
    }

    [Fact]
    public void A_clock_a_test_set_is_read_for_every_record()
    {
        var time = new DateTime(2020, 2, 29, 12, 0, 0, DateTimeKind.Utc);
        var reads = 0;
        var clock = new RecordClock(() =>
        {
            reads++;
            return time;
        });

        Assert.Equal(time, clock.At(Stopwatch.GetTimestamp()));
        time = time.AddDays(1);
        Assert.Equal(time, clock.At(Stopwatch.GetTimestamp()));
        Assert.Equal(2, reads);
    }
}
