using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

public sealed class BatchTests
{
    [Fact]
    public void A_batch_runs_its_work_once_and_records_every_key_completed()
    {
        using var store = new TempStore();
        var location = store.Named();
        var calls = new List<IReadOnlyList<int>>();
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            var outcomes = session.ProcessBatch(["a", "b", "c"], attempt => { calls.Add(attempt.Positions.ToList()); return null; });

            Assert.All(outcomes, o => Assert.Equal(ItemOutcomeKind.Completed, o.Kind));
            Assert.Equal(["a", "b", "c"], outcomes.Select(o => o.Key));
            session.Finish();
        }

        Assert.Equal([[0, 1, 2]], calls);
        Assert.All(CheckpointInspector.ReadItems(location), i => Assert.Equal(ItemState.Completed, i.State));
    }

    [Fact]
    public void A_failing_batch_records_every_key_failed_with_its_error_after_its_retries()
    {
        using var store = new TempStore();
        var location = store.Named();
        var calls = 0;
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => { o.Keep = true; o.MaxAttempts = 2; o.RetryDelay = TimeSpan.Zero; })))
        {
            var outcomes = session.ProcessBatch(["a", "b"], _ => { calls++; throw new InvalidOperationException("row 2 refused"); });

            Assert.All(outcomes, o => Assert.Equal(ItemOutcomeKind.Failed, o.Kind));
            Assert.All(outcomes, o => Assert.Equal("row 2 refused", o.Error!.Message));
            session.Finish();
        }

        Assert.Equal(2, calls);
        var items = CheckpointInspector.ReadItems(location);
        Assert.All(items, i => Assert.Equal(ItemState.Failed, i.State));
        Assert.All(items, i => Assert.Equal(2, i.Attempts));
    }

    [Fact]
    public void Keys_done_before_are_skipped_and_the_work_gets_only_the_others()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"], failed: ["b"]);
        IReadOnlyList<int>? ran = null;
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        var outcomes = session.ProcessBatch(["a", "b", "c", "c", "d"], attempt => { ran = attempt.Positions.ToList(); return null; });

        Assert.Equal([2, 4], ran);
        Assert.Equal(
            [ItemOutcomeKind.SkippedCompleted, ItemOutcomeKind.SkippedFailed, ItemOutcomeKind.Completed, ItemOutcomeKind.SkippedDuplicate, ItemOutcomeKind.Completed],
            outcomes.Select(o => o.Kind));
    }

    [Fact]
    public void A_batch_with_nothing_left_to_run_does_not_call_the_work()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a", "b"]);
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        var outcomes = session.ProcessBatch(["a", "b"], _ => throw new InvalidOperationException("must not run"));

        Assert.All(outcomes, o => Assert.Equal(ItemOutcomeKind.SkippedCompleted, o.Kind));
    }

    [Fact]
    public void Settled_keys_are_the_ones_a_run_would_skip()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["done"], failed: ["bad"]);

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            Assert.True(session.IsSettled("done"));
            Assert.True(session.IsSettled("bad"));
            Assert.False(session.IsSettled("new"));
            session.Complete("new");
            Assert.True(session.IsSettled("new"));
        }

        using var retrying = CheckpointSession.Start(location, Sessions.Options(o => { o.Keep = true; o.RetryFailed = true; }));
        Assert.False(retrying.IsSettled("bad"));
    }

    [Fact]
    public void A_stopped_batch_leaves_every_key_in_flight_to_run_again()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var cancel = new CancellationTokenSource();
        using (var session = CheckpointSession.Start(location, Sessions.Options()))
        {
            Assert.Throws<OperationCanceledException>(() => session.ProcessBatch(
                ["a", "b"],
                attempt => { cancel.Cancel(); attempt.CancellationToken.ThrowIfCancellationRequested(); return null; },
                cancel.Token));
        }

        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(ItemState.InFlight, i.State));
    }
}
