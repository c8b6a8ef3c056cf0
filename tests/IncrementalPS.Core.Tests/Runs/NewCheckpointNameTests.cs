using System;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// A new checkpoint's header reaches the disk before its name exists, so whatever a power failure leaves at the name is
/// a whole checkpoint. Its name then reaches the disk (the directory's flush) before the first result at Full
/// durability and after a -Restart, and while the first items run otherwise: a failure of that flush is the run's
/// failure either way. The flush on the pool is held by a test event until each test lets it end.
/// </summary>
public sealed class NewCheckpointNameTests
{
    [Fact]
    public void At_Normal_durability_a_failed_flush_of_the_new_name_stops_the_run_before_its_next_item_and_keeps_what_it_recorded()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var hold = new ManualResetEventSlim();
        var options = Sessions.Options(o => o.Keep = true);
        var (runStore, session) = StartWithNameFlush(location, options, hold, fault: "injected EIO");
        using (session)
        {
            // Released on the way out, also after a failed assertion: the close waits for the flush.
            try
            {
                // The start waited for no name: items run and are recorded while it is being flushed.
                foreach (var key in Sessions.Keys("k", 5))
                {
                    session.Complete(key);
                }

                hold.Set();
                Poll.Until(() => runStore.NameFlushEnded);

                var error = Record.Exception(() => session.Complete("after-the-failure"));
                var io = Assert.IsType<CheckpointIOException>(error);
                Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
                Assert.Contains(Path.GetDirectoryName(location.FilePath)!, io.ToString(), StringComparison.Ordinal);

                // Every item after it too, and the end of the run: nothing more is recorded under that name.
                Assert.IsType<CheckpointIOException>(Record.Exception(() => session.Complete("and-after-that")));
                Assert.IsType<CheckpointIOException>(Record.Exception(() => session.Finish()));
            }
            finally
            {
                hold.Set();
            }
        }

        // The checkpoint at its name is whole, with the five items the run reported done, and the next run resumes it.
        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(Sessions.Keys("k", 5), items.Where(i => i.State == ItemState.Completed).Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.DoesNotContain(items, i => i.Key is "after-the-failure" or "and-after-that");
        var summary = Sessions.RunAll(location, Sessions.Options(), Sessions.Keys("k", 5).Append("after-the-failure"));
        Assert.Equal(5, summary.Skipped);
        Assert.Equal(1, summary.Completed);
        Assert.True(summary.CheckpointRemoved);
    }

    [Fact]
    public void A_kept_checkpoint_is_not_called_finished_before_its_name_is_on_disk()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var hold = new ManualResetEventSlim();
        var (_, session) = StartWithNameFlush(location, Sessions.Options(o => o.Keep = true), hold, fault: "injected EIO");
        using (session)
        {
            // Released on the way out, also after a failed assertion: the close waits for the flush.
            try
            {
                session.Complete("a");
                session.Complete("b");

                // Still held when Finish starts: Finish itself must wait for the flush, which ends while it waits.
                using var release = new Timer(_ => hold.Set(), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
                var io = Assert.IsType<CheckpointIOException>(Record.Exception(() => session.Finish()));
                Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
            }
            finally
            {
                hold.Set();
            }
        }

        Assert.Equal(["a", "b"], CheckpointInspector.ReadItems(location, ItemState.Completed).Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
    }

    [LinuxFact]
    public void The_once_a_second_flush_waits_for_the_new_name_before_it_flushes_records_under_it()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var hold = new ManualResetEventSlim();
        var (runStore, session) = StartWithNameFlush(location, Sessions.Options(o => o.Keep = true), hold, fault: null);
        using (session)
        {
            // Released on the way out, also after a failed assertion: the close waits for the flush.
            try
            {
                var journal = Assert.IsType<MappedJournalAppender>(runStore.Journal);
                var flushes = 0;
                journal.FlushStarting = () => Interlocked.Increment(ref flushes);
                session.Complete("a");

                // The timer fires after a second; held, it flushes nothing.
                Thread.Sleep(TimeSpan.FromSeconds(1.5));
                Assert.Equal(0, Volatile.Read(ref flushes));

                hold.Set();
                Poll.Until(() => Volatile.Read(ref flushes) > 0);
                session.Finish();
            }
            finally
            {
                hold.Set();
            }
        }
    }

    [Fact]
    public void At_Full_durability_the_new_name_is_flushed_before_the_start_returns()
    {
        using var store = new TempStore();
        var location = store.Named();

        AssertStartFailsOnTheNameFlush(location, o => o.Durability = Durability.Full);

        // The rename happened before the flush failed: what is at the name is a whole, empty checkpoint.
        Assert.Empty(CheckpointInspector.ReadItems(location));
    }

    [Fact]
    public void A_restart_flushes_the_new_name_before_the_start_returns_so_a_power_failure_cannot_bring_back_the_old_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["done-before"]);

        AssertStartFailsOnTheNameFlush(location, o => o.Restart = true);

        Assert.Empty(CheckpointInspector.ReadItems(location));
    }

    /// <summary>A fault in the name's flush fails the start itself: the flush happened before it returned.</summary>
    private static void AssertStartFailsOnTheNameFlush(CheckpointLocation location, Action<RunOptions> configure)
    {
        DirectorySync.FailNextOnThisThread = "injected EIO";
        try
        {
            var error = Record.Exception(() => CheckpointSession.Start(location, Sessions.Options(configure)).Dispose());

            var io = Assert.IsType<CheckpointIOException>(error);
            Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
        }
    }

    /// <summary>Starts a run on a new checkpoint whose name's flush waits for <paramref name="hold"/>, then fails with <paramref name="fault"/> if given.</summary>
    private static (FileRunStore Store, CheckpointSession Session) StartWithNameFlush(CheckpointLocation location, RunOptions options, ManualResetEventSlim hold, string? fault)
    {
        DirectorySync.FailNextOnThisThread = fault;
        BackgroundDirectorySync.HoldNextOnThisThread = hold;
        FileRunStore? runStore = null;
        try
        {
            runStore = FileRunStore.Open(location, options);
            // Taken by the flush the start began, not left for another.
            Assert.Null(DirectorySync.FailNextOnThisThread);
            Assert.Null(BackgroundDirectorySync.HoldNextOnThisThread);
            Assert.False(runStore.NameFlushEnded);
            return (runStore, CheckpointSession.Start(location, runStore, options, null));
        }
        catch
        {
            // Nothing left holding the lock or waiting for a release that will not come.
            hold.Set();
            runStore?.Dispose();
            throw;
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
            BackgroundDirectorySync.HoldNextOnThisThread = null;
        }
    }

}
