using System.Collections.Generic;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

public sealed class EndOfRunTests
{
    [Fact]
    public void When_every_item_completed_the_checkpoint_is_removed_by_default()
    {
        using var store = new TempStore();
        var location = store.Named();

        var summary = Sessions.RunAll(location, Sessions.Options(), ["a", "b", "c"]);

        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.True(summary.CheckpointRemoved);
        Assert.Equal(3, summary.Seen);
        Assert.Equal(3, summary.Completed);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(location.FilePath, summary.FilePath);
        Assert.False(File.Exists(location.FilePath));
        Assert.Empty(CheckpointStore.List(store.Directory));
    }

    [Fact]
    public void With_keep_a_completed_checkpoint_stays_and_a_later_run_processes_only_new_keys()
    {
        using var store = new TempStore();
        var location = store.Named();
        var keep = Sessions.Options(o => o.Keep = true);

        var first = Sessions.RunAll(location, keep, ["a", "b"]);

        Assert.Equal(CheckpointState.Completed, first.State);
        Assert.False(first.CheckpointRemoved);
        Assert.Equal(CheckpointState.Completed, CheckpointInspector.ReadStatus(location).State);

        var ran = new List<string>();
        var second = Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["a", "b", "c"], a => { ran.Add(a.Key); return null; });

        Assert.Equal(["c"], ran);
        Assert.Equal(3, second.Seen);
        Assert.Equal(1, second.Completed);
        Assert.Equal(2, second.Skipped);
        Assert.Equal(3, CheckpointInspector.ReadStatus(location).Completed);
    }

    [Fact]
    public void When_some_items_failed_the_checkpoint_stays_failed_and_they_can_be_retried()
    {
        using var store = new TempStore();
        var location = store.Named();

        RunSummary first;
        using (var session = CheckpointSession.Start(location, Sessions.Options()))
        {
            session.Complete("good");
            session.Fail("bad");
            first = session.Finish();
        }

        Assert.Equal(CheckpointState.Failed, first.State);
        Assert.False(first.CheckpointRemoved);
        Assert.Equal(1, first.Failed);
        Assert.Equal(1, first.FailedInCheckpoint);
        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Failed, status.State);
        Assert.Equal(1, status.Failed);
        Assert.Null(status.Owner);

        var second = Sessions.RunAll(location, Sessions.Options(o => o.RetryFailed = true), ["good", "bad"]);

        Assert.Equal(CheckpointState.Completed, second.State);
        Assert.Equal(1, second.Completed);
        Assert.True(second.CheckpointRemoved);
    }

    [Fact]
    public void A_run_stopped_without_finishing_is_interrupted_and_resumes()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 3)))
        {
            session.Complete("a");
        }

        Assert.Equal(CheckpointState.Interrupted, CheckpointInspector.ReadStatus(location).State);

        using var resumed = CheckpointSession.Start(location, Sessions.Options());
        Assert.True(resumed.Resume.IsResume);
        Assert.Equal(2, resumed.Resume.RunNumber);
        Assert.Equal(CheckpointState.Interrupted, resumed.Resume.PreviousState);
        Assert.Equal(1, resumed.Resume.Completed);
        Assert.Equal(0, resumed.Resume.InFlight);
        Assert.False(resumed.Resume.RepairedTornRecord);
    }

    [Fact]
    public void A_new_checkpoint_is_not_a_resume()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options());

        Assert.False(session.Resume.IsResume);
        Assert.Equal(1, session.Resume.RunNumber);
        Assert.Null(session.Resume.PreviousState);
        Assert.Null(session.Resume.EstimatedTotal);
    }

    [Fact]
    public void Restart_discards_the_existing_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"], failed: ["b"]);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true));

        Assert.False(session.Resume.IsResume);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("a").Kind);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("b").Kind);
    }

    [Fact]
    public void A_resume_with_different_code_is_reported()
    {
        using var store = new TempStore();
        var location = store.Named();
        var before = ItemKey.Fingerprint("Import-Thing $_");
        var after = ItemKey.Fingerprint("Import-Thing $_ -Force");
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Fingerprint = before)))
        {
            session.Complete("a");
        }

        using (var same = CheckpointSession.Start(location, Sessions.Options(o => o.Fingerprint = before)))
        {
            Assert.False(same.Resume.FingerprintChanged);
            Assert.Equal(before, same.Resume.PreviousFingerprint);
        }

        using var changed = CheckpointSession.Start(location, Sessions.Options(o => o.Fingerprint = after));
        Assert.True(changed.Resume.FingerprintChanged);
        Assert.Equal(before, changed.Resume.PreviousFingerprint);
    }

    [Fact]
    public void A_session_cannot_be_used_after_it_finished()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options(o => o.Keep = true));
        session.Complete("a");
        session.Finish();

        Assert.Throws<System.ObjectDisposedException>(() => session.Complete("b"));
        Assert.Equal(["a"], CheckpointInspector.ReadItems(store.Named()).Select(i => i.Key));
    }

    [Fact]
    public void A_new_checkpoint_stopped_before_recording_any_item_leaves_nothing_behind()
    {
        using var store = new TempStore();
        var location = store.Named();

        // A front end that meets a setup problem at the first item (no usable key) disposes the run unfinished.
        using (CheckpointSession.Start(location, Sessions.Options()))
        {
            Assert.True(File.Exists(location.FilePath));
        }

        Assert.False(File.Exists(location.FilePath));
        Assert.False(CheckpointInspector.IsRunning(location));
        Assert.False(File.Exists(location.InFlightPath));
        Assert.Empty(CheckpointStore.List(store.Directory));
    }

    [Fact]
    public void An_existing_checkpoint_stopped_before_recording_any_item_stays()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var session = CheckpointSession.Start(location, Sessions.Options()))
        {
            session.Process("a", _ => null);
        }

        using (CheckpointSession.Start(location, Sessions.Options()))
        {
        }

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.Equal(1, status.Completed);
    }
}
