using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>The run logic (skip, retry, results, end of run) works over any <see cref="IRunStore"/>, not only the file.</summary>
public sealed class RunLogicOverAStoreTests
{
    [Fact]
    public void A_run_records_claims_retries_and_results_through_the_store_alone()
    {
        var store = new MemoryRunStore();
        using var session = CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused.jsonl")), store, Sessions.Options(o => o.MaxAttempts = 2));

        session.Complete("a", "out-a");
        session.Process("b", attempt => attempt.AttemptInRun == 1 ? throw new IOException("once") : null);
        session.Fail("c");
        var duplicate = session.Complete("a");
        var summary = session.Finish();

        Assert.Equal(ItemOutcomeKind.SkippedDuplicate, duplicate.Kind);
        Assert.Equal(CheckpointState.Failed, summary.State);
        Assert.Equal(
            new[]
            {
                "claim a 1", "completed a 1",
                "claim b 1", "reclaim b 2", "completed b 2",
                "claim c 1", "reclaim c 2", "failed c 2",
                "ended failed seen 4 completed 2 failed 1 skipped 1", "closed remove=False",
            },
            store.Journal);
    }

    [Fact]
    public void An_item_whose_claim_the_store_declines_is_skipped_without_running()
    {
        var store = new MemoryRunStore();
        store.HeldElsewhere.Add("held");
        using var session = CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused.jsonl")), store, Sessions.Options());
        var ran = false;

        var outcome = session.Process("held", _ =>
        {
            ran = true;
            return null;
        });

        Assert.False(ran);
        Assert.Equal(ItemOutcomeKind.SkippedDuplicate, outcome.Kind);
        Assert.Equal(1, session.GetProgress().Skipped);
        Assert.Empty(store.Journal);
    }

    [Fact]
    public void A_request_to_suspend_seen_by_the_store_defers_new_items_and_ends_the_run_suspended()
    {
        var store = new MemoryRunStore();
        using var session = CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused.jsonl")), store, Sessions.Options(o => o.SuspendPoll = TimeSpan.FromMilliseconds(20)));
        session.Complete("a");

        store.AskToSuspend = true;
        Assert.True(session.Suspending.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)));
        var deferred = session.Process("b", _ => throw new InvalidOperationException("b must not start"));
        var summary = session.Finish();

        Assert.Equal(ItemOutcomeKind.Deferred, deferred.Kind);
        Assert.Equal(CheckpointState.Suspended, summary.State);
        Assert.Equal(["claim a 1", "completed a 1", "ended suspended seen 2 completed 1 failed 0 skipped 0", "closed remove=False"], store.Journal);
    }
}
