using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// A new checkpoint's header reaches the disk before its name exists, so whatever a power failure leaves at the name is
/// a whole checkpoint. Its name then reaches the disk (the directory's flush) before the first result at Full
/// durability and after a -Restart, and while the first items run otherwise: a failure of that flush is the run's
/// failure either way.
/// </summary>
public sealed class NewCheckpointNameTests
{
    [Fact]
    public void At_Normal_durability_a_failed_flush_of_the_new_name_stops_the_run_clearly_and_keeps_what_it_recorded()
    {
        using var store = new TempStore();
        var location = store.Named();
        CheckpointSession session;
        DirectorySync.FailNextOnThisThread = "injected EIO";
        try
        {
            // The start does not wait for the name: the fault goes with the flush it starts in the background.
            session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
            Assert.Null(DirectorySync.FailNextOnThisThread);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
        }

        var completed = new List<string>();
        Exception? error;
        using (session)
        {
            // Reported before an item once the flush has ended, and at the latest by Finish, which waits for it.
            error = Record.Exception(() =>
            {
                foreach (var key in Sessions.Keys("k", 50))
                {
                    session.Complete(key);
                    completed.Add(key);
                }

                session.Finish();
            });
        }

        var io = Assert.IsType<CheckpointIOException>(error);
        Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
        Assert.Contains(Path.GetDirectoryName(location.FilePath)!, io.ToString(), StringComparison.Ordinal);

        // The checkpoint at its name is whole, with every item the run reported done, and the next run resumes it.
        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(completed, items.Where(i => i.State == ItemState.Completed).Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
        var summary = Sessions.RunAll(location, Sessions.Options(), Sessions.Keys("k", 50));
        Assert.Equal(completed.Count, summary.Skipped);
        Assert.True(summary.CheckpointRemoved);
    }

    [Fact]
    public void At_Full_durability_the_new_name_is_flushed_before_the_start_returns()
    {
        using var store = new TempStore();
        var location = store.Named();
        DirectorySync.FailNextOnThisThread = "injected EIO";
        try
        {
            var error = Record.Exception(() => CheckpointSession.Start(location, Sessions.Options(o => o.Durability = Durability.Full)).Dispose());

            var io = Assert.IsType<CheckpointIOException>(error);
            Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
        }

        // The rename happened before the flush failed: what is at the name is a whole, empty checkpoint.
        Assert.Empty(CheckpointInspector.ReadItems(location));
    }

    [Fact]
    public void A_restart_flushes_the_new_name_before_the_start_returns_so_a_power_failure_cannot_bring_back_the_old_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, new[] { "done-before" });
        DirectorySync.FailNextOnThisThread = "injected EIO";
        try
        {
            var error = Record.Exception(() => CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true)).Dispose());

            var io = Assert.IsType<CheckpointIOException>(error);
            Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
        }

        Assert.Empty(CheckpointInspector.ReadItems(location));
    }
}
