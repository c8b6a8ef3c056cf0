using System;
using System.Diagnostics;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// Records are stamped with the system's time, derived from the timestamp each item's duration is measured with (the
/// system clock read once a second); a clock a test sets is read as it is.
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
            Assert.Equal(DateTimeKind.Utc, at.Kind);
        }
    }

    [Fact]
    public void The_clock_is_read_again_only_for_a_timestamp_a_second_or_more_from_the_last_read()
    {
        var reads = 0;
        var time = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        var clock = new RecordClock(() =>
        {
            reads++;
            return time;
        }, derive: true);
        var now = Stopwatch.GetTimestamp();
        var halfSecond = Stopwatch.Frequency / 2;

        var first = clock.At(now);
        Assert.Equal(1, reads);

        // Within a second, after and before the read (parallel items take their timestamps before the lock): derived.
        Assert.Equal(first.AddMilliseconds(500), clock.At(now + halfSecond), TimeSpan.FromMilliseconds(5));
        Assert.Equal(first.AddMilliseconds(-500), clock.At(now - halfSecond), TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, reads);

        // Two seconds on, the system clock is read again, and a step it took since shows.
        time = time.AddMinutes(10);
        var later = clock.At(now + (4 * halfSecond));
        Assert.Equal(2, reads);
        Assert.InRange(later, time.AddSeconds(1), time.AddSeconds(3));
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
