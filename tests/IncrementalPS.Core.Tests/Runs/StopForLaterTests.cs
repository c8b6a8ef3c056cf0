using System;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// An item's work may stop the run for later (a rate limit): the item is neither failed nor retried in this run; it
/// stays unfinished and the next run runs it.
/// </summary>
public sealed class StopForLaterTests
{
    [Fact]
    public void An_item_that_stops_the_run_for_later_is_left_unfinished_without_a_retry_and_runs_again_next_time()
    {
        using var store = new TempStore();
        var location = store.Named();
        var attempts = 0;

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.MaxAttempts = 3)))
        {
            session.Complete("a");
            Assert.Throws<StopForLaterException>(() => session.Process("b", _ =>
            {
                attempts++;
                throw new StopForLaterException("rate limited");
            }));
        }

        Assert.Equal(1, attempts);
        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.Equal(1, status.Completed);
        Assert.Equal(0, status.Failed);
        Assert.Equal(1, status.InFlight);

        var rerun = Sessions.RunAll(location, Sessions.Options(), new[] { "a", "b" });

        Assert.Equal(CheckpointState.Completed, rerun.State);
        Assert.Equal(1, rerun.Completed);
        Assert.Equal(1, rerun.Skipped);
    }

    [Fact]
    public void A_batch_that_stops_the_run_for_later_leaves_every_item_of_it_unfinished()
    {
        using var store = new TempStore();
        var location = store.Named();

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.MaxAttempts = 3)))
        {
            Assert.Throws<StopForLaterException>(() => session.ProcessBatch(new[] { "a", "b" }, _ => throw new StopForLaterException("rate limited")));
        }

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(0, status.Failed);
        Assert.Equal(2, status.InFlight);
        Assert.Equal(CheckpointState.Interrupted, status.State);
    }
}
