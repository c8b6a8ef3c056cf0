using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Maintenance;

public sealed class ResetTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void ResetFailed_forgets_only_the_failed_items_so_the_next_run_processes_them()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a", "b"], failed: ["c", "d"]);

        Assert.Equal(2, CheckpointReset.ResetFailed(location));

        Assert.Empty(CheckpointInspector.ReadItems(location, ItemState.Failed));
        Assert.Equal(["a", "b"], CheckpointInspector.ReadItems(location).Select(i => i.Key));
        using var session = CheckpointSession.Start(location, Sessions.Options());
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("c").Kind);
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete("a").Kind);
        CheckpointFile.ReadJsonLines(location.FilePath);
    }

    [Fact]
    public void ResetKeys_forgets_the_given_keys_whatever_their_state()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a", "b"], failed: ["c"]);

        Assert.Equal(2, CheckpointReset.ResetKeys(location, ["a", "c", "unknown"]));

        Assert.Equal(["b"], CheckpointInspector.ReadItems(location).Select(i => i.Key));
        using var session = CheckpointSession.Start(location, Sessions.Options());
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("a").Kind);
    }

    [Fact]
    public void Remove_deletes_the_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);

        CheckpointReset.Remove(location);

        Assert.False(File.Exists(location.FilePath));
        Assert.Empty(CheckpointStore.List(store.Directory));
    }

    [Fact]
    public void Remove_flushes_the_directory_before_it_returns_and_reports_the_removal_even_if_that_flush_fails()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);
        DirectorySync.FailNextOnThisThread = "injected EIO";
        try
        {
            // A flush after the delete took the fault; the checkpoint is gone, so no error says it was not removed.
            CheckpointReset.Remove(location);
            Assert.Null(DirectorySync.FailNextOnThisThread);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
        }

        Assert.False(File.Exists(location.FilePath));
        Assert.Equal(1, Sessions.RunAll(location, Sessions.Options(), ["a"]).Completed);
    }

    [Fact]
    public void Resets_are_refused_while_a_run_in_this_process_holds_the_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"], failed: ["b"]);
        using var session = CheckpointSession.Start(location, Sessions.Options());

        AssertAllResetsRefused(location, Environment.ProcessId);
    }

    [Fact]
    public void Resets_are_refused_while_another_process_holds_the_checkpoint()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("held.checkpoint.jsonl");
        var location = CheckpointLocation.FromPath(checkpoint);
        using var host = TestHostProcess.Start("hold", checkpoint, "2");
        host.WaitForLine("holding", s_timeout);

        AssertAllResetsRefused(location, host.Id);

        host.SendLine("go");
        Assert.Equal(0, host.WaitForExit(s_timeout));
        CheckpointReset.Remove(location);
        Assert.False(File.Exists(checkpoint));
    }

    private static void AssertAllResetsRefused(CheckpointLocation location, int holder)
    {
        var hash = CheckpointFile.Sha256(location.FilePath);

        Assert.Equal(holder, Assert.Throws<CheckpointLockedException>(() => CheckpointReset.Remove(location)).Owner?.ProcessId);
        Assert.Equal(holder, Assert.Throws<CheckpointLockedException>(() => CheckpointReset.ResetFailed(location)).Owner?.ProcessId);
        Assert.Equal(holder, Assert.Throws<CheckpointLockedException>(() => CheckpointReset.ResetKeys(location, ["a"])).Owner?.ProcessId);

        Assert.True(File.Exists(location.FilePath));
        Assert.Equal(hash, CheckpointFile.Sha256(location.FilePath));
    }
}
