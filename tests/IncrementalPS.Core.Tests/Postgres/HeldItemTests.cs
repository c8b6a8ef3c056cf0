using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>At the end of its input, a worker waits for the items others held and takes over those whose holder died.</summary>
public sealed class HeldItemTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void An_item_held_by_a_worker_that_dies_is_run_by_the_last_worker_at_the_end_of_its_input()
    {
        // Long enough for the last worker to reach the item while it is held, on a busy machine too.
        using var dying = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        Assert.True(dying.TryClaim("k", 1, 0, out _));
        using var last = Start();
        var ran = 0;

        var first = last.Process("k", _ => { ran++; return "mine"; });
        Assert.Equal(ItemOutcomeKind.HeldElsewhere, first.Kind);
        Assert.Equal(1, last.HeldElsewhere);

        var outcomes = new List<ItemOutcome>();
        last.ProcessHeld(outcomes.Add);

        Assert.Equal(1, ran);
        Assert.Equal(ItemOutcomeKind.Completed, Assert.Single(outcomes).Kind);
        Assert.Equal(0, last.HeldElsewhere);
        Assert.Equal(CheckpointState.Completed, last.Finish().State);
    }

    [Fact]
    public void An_item_its_holder_finishes_is_settled_as_a_skip_without_running()
    {
        using var holder = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), TimeSpan.FromSeconds(30));
        Assert.True(holder.TryClaim("k", 1, 0, out var claim));
        using var waiting = Start();
        var ran = 0;

        waiting.Process("k", _ => { ran++; return null; });
        var finishing = new Thread(() =>
        {
            Thread.Sleep(300);
            holder.WaitDurable(holder.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));
        });
        finishing.Start();
        var outcomes = new List<ItemOutcome>();
        waiting.ProcessHeld(outcomes.Add);
        finishing.Join();

        Assert.Equal(0, ran);
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, Assert.Single(outcomes).Kind);
    }

    [Fact]
    public void A_held_item_is_reported_once_when_it_is_settled_not_also_as_a_skip_when_it_was_held()
    {
        using var holder = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), TimeSpan.FromSeconds(30));
        Assert.True(holder.TryClaim("k", 1, 0, out var claim));
        using var waiting = Start();

        var first = waiting.Process("k", _ => null);
        holder.WaitDurable(holder.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));
        var settled = new List<ItemOutcome>();
        waiting.ProcessHeld(settled.Add);
        var summary = waiting.Finish();

        Assert.Equal(ItemOutcomeKind.HeldElsewhere, first.Kind);
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, Assert.Single(settled).Kind);
        Assert.Equal(1, summary.Skipped);
    }

    [Fact]
    public void A_worker_remembers_only_the_items_held_elsewhere_not_those_finished_elsewhere()
    {
        using (var other = Start())
        {
            other.Complete("done");
        }

        using var holder = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), TimeSpan.FromSeconds(30));
        Assert.True(holder.TryClaim("held", 1, 0, out _));
        using var worker = Start();
        worker.Complete("done");
        worker.Complete("held");

        Assert.Equal(1, worker.HeldElsewhere);
    }

    private CheckpointSession Start()
    {
        var options = Sessions.Options(o =>
        {
            o.Keep = true;
            o.HeldItemPoll = TimeSpan.FromMilliseconds(50);
        });
        return CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")),
            PostgresRunStore.Open(_db.Target, "job", options, TimeSpan.FromSeconds(30)),
            options);
    }
}
