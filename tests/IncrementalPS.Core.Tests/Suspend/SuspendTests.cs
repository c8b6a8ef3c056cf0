using System;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Suspend;

public sealed class SuspendTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    private static RunOptions FastPoll(Action<RunOptions>? configure = null)
        => Sessions.Options(o =>
        {
            o.SuspendPoll = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        });

    [Fact]
    public void A_request_lets_the_item_in_flight_finish_then_nothing_new_starts_and_the_run_ends_suspended()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, FastPoll());
        session.Complete("a");

        // Asked while "b" runs: "b" finishes and is recorded.
        var b = session.Process("b", _ =>
        {
            SuspendRequest.Place(location);
            Assert.True(session.Suspending.WaitHandle.WaitOne(s_patience));
            return null;
        });
        var c = session.Process("c", _ => throw new InvalidOperationException("c must not start"));
        var summary = session.Finish();

        Assert.Equal(ItemOutcomeKind.Completed, b.Kind);
        Assert.Equal(ItemOutcomeKind.Deferred, c.Kind);
        Assert.Equal(CheckpointState.Suspended, summary.State);
        Assert.False(summary.CheckpointRemoved);
        Assert.Equal(1, summary.Deferred);
        Assert.False(File.Exists(location.SuspendPath));

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Suspended, status.State);
        Assert.Equal(2, status.Completed);
        Assert.Equal(0, status.InFlight);
        Assert.Null(status.Owner);
    }

    [Fact]
    public void Running_again_resumes_a_suspended_checkpoint_to_completion()
    {
        using var store = new TempStore();
        var location = store.Named();
        Suspended(location, done: ["a", "b"]);

        var ran = new System.Collections.Generic.List<string>();
        var summary = Sessions.RunAll(location, FastPoll(), ["a", "b", "c", "d"], attempt => { ran.Add(attempt.Key); return null; });

        Assert.Equal(["c", "d"], ran);
        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.True(summary.CheckpointRemoved);
    }

    [Fact]
    public void The_resume_sees_the_suspended_state_and_a_request_left_over_does_not_suspend_it()
    {
        using var store = new TempStore();
        var location = store.Named();
        Suspended(location, done: ["a"]);

        // A request placed as the earlier run ended (it never saw it) belongs to that run, not to the next.
        File.WriteAllText(location.SuspendPath, "{}");
        using var session = CheckpointSession.Start(location, FastPoll(o => o.Keep = true));

        Assert.Equal(CheckpointState.Suspended, session.Resume.PreviousState);
        Assert.False(File.Exists(location.SuspendPath));
        Thread.Sleep(100);
        Assert.False(session.IsSuspending);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("b").Kind);
        Assert.Equal(CheckpointState.Completed, session.Finish().State);
    }

    [Fact]
    public void Old_readers_see_a_suspended_run_as_interrupted_and_its_count_is_not_taken_for_the_input_size()
    {
        using var store = new TempStore();
        var location = store.Named();
        Suspended(location, done: ["a", "b"]);

        var ended = File.ReadAllLines(location.FilePath).Single(l => l.Contains("\"type\":\"run-ended\"", StringComparison.Ordinal));
        Assert.Contains("\"outcome\":\"interrupted\"", ended, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"suspended\"", ended, StringComparison.Ordinal);
        Assert.Null(CheckpointInspector.ReadStatus(location).Total);
    }

    [Fact]
    public void Suspending_a_checkpoint_with_no_live_run_is_refused_naming_it_and_places_nothing()
    {
        using var store = new TempStore();
        var location = store.Named("idle");
        Sessions.MakeKept(location, ["a"]);

        var refused = Assert.Throws<CheckpointNotRunningException>(() => SuspendRequest.Place(location));

        Assert.Contains("'idle'", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(location.SuspendPath));
        Assert.Throws<CheckpointNotFoundException>(() => SuspendRequest.Place(store.Named("missing")));
    }

    [Fact]
    public void Suspending_a_file_that_is_not_a_checkpoint_is_refused_and_places_nothing_beside_it()
    {
        using var store = new TempStore();
        var location = store.FileWith("notes.txt", "not a checkpoint\n"u8.ToArray());

        Assert.Throws<CheckpointFormatException>(() => SuspendRequest.Place(location));

        Assert.Equal(["notes.txt"], Directory.GetFiles(store.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Items_of_a_batch_not_yet_claimed_are_deferred_once_the_run_is_suspending()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, FastPoll());
        session.Complete("a");
        SuspendRequest.Place(location);
        Assert.True(session.Suspending.WaitHandle.WaitOne(s_patience));

        var outcomes = session.ProcessBatch(["a", "b", "c"], _ => throw new InvalidOperationException("nothing new may start"));

        Assert.Equal([ItemOutcomeKind.SkippedDuplicate, ItemOutcomeKind.Deferred, ItemOutcomeKind.Deferred], outcomes.Select(o => o.Kind));
        Assert.Equal(CheckpointState.Suspended, session.Finish().State);
    }

    [Fact]
    public void A_request_the_run_did_not_see_before_it_completed_goes_with_the_removed_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.SuspendPoll = TimeSpan.FromHours(1)));
        session.Complete("a");
        SuspendRequest.Place(location);

        var summary = session.Finish();

        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.True(summary.CheckpointRemoved);
        Assert.False(File.Exists(location.SuspendPath));
    }

    private static void Suspended(CheckpointLocation location, string[] done)
    {
        using var session = CheckpointSession.Start(location, FastPoll());
        foreach (var key in done)
        {
            session.Complete(key);
        }

        SuspendRequest.Place(location);
        Assert.True(session.Suspending.WaitHandle.WaitOne(s_patience));
        Assert.Equal(CheckpointState.Suspended, session.Finish().State);
    }
}
