using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// A compaction during the run copies the live records without holding the run's lock: items go on being recorded
/// during the copy, and what they appended meanwhile is carried over to the new file with offsets that still work.
/// </summary>
public sealed class MidRunCompactionTests
{
    // The journal is compacted once, as soon as it holds this many records (the engine waits for far more).
    private const int CompactAt = 60;
    private static readonly TimeSpan s_deadlockGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public void Items_of_other_threads_are_recorded_while_the_copy_runs_and_read_back_after_the_swap()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var copy = new HeldCopy();
        var (session, runStore) = Start(location, afterCopy: copy.Hold);
        using (session)
        {
            RecordBeforeTheCopy(session);
            copy.WaitUntilCopied();

            // Four workers record 100 items while the copy is held up: none of them waits for it.
            var workers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
            {
                for (var i = 0; i < 25; i++)
                {
                    var key = $"during-{w}-{i:D2}";
                    if (i % 5 == 0)
                    {
                        session.Fail(key, "failed " + key);
                    }
                    else
                    {
                        session.Complete(key, "output of " + key);
                    }
                }
            })).ToArray();
            Array.ForEach(workers, t => t.Start());
            Assert.All(workers, t => Assert.True(t.Join(s_deadlockGuard), "items waited for the compaction's copy"));
            Assert.False(copy.IsReleased);

            var recordsBeforeSwap = CheckpointFile.Records(location.FilePath).Count;
            copy.Release();
            session.SettleCompaction();

            Assert.True(CheckpointFile.Records(location.FilePath).Count < recordsBeforeSwap - 50, "the journal was not compacted");
            AssertBeforeTheCopyReadsBack(session, runStore);
            for (var w = 0; w < 4; w++)
            {
                for (var i = 0; i < 25; i++)
                {
                    var key = $"during-{w}-{i:D2}";
                    if (i % 5 == 0)
                    {
                        Assert.Equal("failed " + key, runStore.ReadError(key)?.Message);
                    }
                    else
                    {
                        Assert.Equal("output of " + key, session.ReadSavedOutput(key));
                    }
                }
            }

            AssertLoadsWhole(location, completed: 2 + 80, failed: 1 + 20, inFlight: 1);
            session.Complete("after-the-swap", "still appending");
            Assert.Equal("still appending", session.ReadSavedOutput("after-the-swap"));
            session.Finish();
        }

        Assert.Empty(LeftoverTempFiles(store));
    }

    [Fact]
    public void Records_appended_during_the_copy_survive_the_swap_with_offsets_that_read_back()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var copy = new HeldCopy();
        var (session, runStore) = Start(location, afterCopy: copy.Hold);
        using (session)
        {
            RecordBeforeTheCopy(session);
            copy.WaitUntilCopied();

            // On this thread while the copy waits: new keys, and a key whose planned record (an interruption) is overtaken.
            session.Complete("tail-output", "in the tail");
            session.Fail("tail-failed", "failed in the tail");
            session.Complete("stubborn", "done at last");
            var expected = CheckpointFile.Records(location.FilePath).Count;

            copy.Release();
            session.SettleCompaction();

            // The tail came over whole, after the live prefix.
            var records = CheckpointFile.Records(location.FilePath);
            Assert.True(records.Count < expected, "the journal was not compacted");
            Assert.Equal(
                ["tail-output", "tail-failed", "stubborn"],
                records.Skip(records.Count - 3).Select(r => r.GetProperty("key").GetString()));
            Assert.Equal("in the tail", session.ReadSavedOutput("tail-output"));
            Assert.Equal("failed in the tail", runStore.ReadError("tail-failed")?.Message);
            Assert.Equal("done at last", session.ReadSavedOutput("stubborn"));
            Assert.Equal("permanent", runStore.ReadError("failed-early")?.Message);
            Assert.Equal("out", session.ReadSavedOutput("with-output"));
            Assert.Null(session.ReadSavedOutput("without-output"));
            AssertLoadsWhole(location, completed: 4, failed: 2, inFlight: 0);
            session.Finish();
        }

        var items = CheckpointInspector.ReadItems(location).ToDictionary(i => i.Key);
        Assert.Equal(ItemState.Completed, items["stubborn"].State);
        Assert.Equal("failed in the tail", items["tail-failed"].Error?.Message);
    }
    [Fact]
    public void What_was_appended_during_a_long_copy_is_caught_up_in_the_background_before_the_swap()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var copy = new HeldCopy();
        var (session, runStore) = Start(location, afterCopy: copy.Hold);
        // Any tail at all is caught up in the background, as often as allowed.
        runStore.CompactionTailUnderLock = 0;
        using (session)
        {
            RecordBeforeTheCopy(session);
            copy.WaitUntilCopied();
            session.Complete("during-the-copy", "first tail");
            copy.Release();

            // Each result appends more while the background copy catches up; the swap comes once it has done so enough.
            var keys = new List<string>();
            while (runStore.Compacting && keys.Count < 1_000_000)
            {
                var key = $"more-{keys.Count:D7}";
                session.Complete(key, "output of " + key);
                keys.Add(key);
                if (keys.Count % 1000 == 0)
                {
                    Thread.Sleep(1);
                }
            }

            Assert.False(runStore.Compacting, "the compaction never finished");
            Assert.Equal(CompactionPolicy.MaxCatchUps, runStore.LastCompactionCatchUps);
            Assert.Equal("first tail", session.ReadSavedOutput("during-the-copy"));
            Assert.All(keys, key => Assert.Equal("output of " + key, session.ReadSavedOutput(key)));
            AssertBeforeTheCopyReadsBack(session, runStore);
            AssertLoadsWhole(location, completed: 3 + keys.Count, failed: 1, inFlight: 1);
            // Compacted: most of stubborn's interruptions are gone (those appended after the plan was taken stay).
            Assert.True(CheckpointFile.Records(location.FilePath, "item-interrupted").Count < CompactAt / 2, "the journal was not compacted");
            session.Finish();
        }

        Assert.Empty(LeftoverTempFiles(store));
    }

    [Fact]
    public void A_failure_during_the_copy_leaves_the_journal_as_it_was_and_the_run_going()
    {
        using var store = new TempStore();
        var location = store.Named();
        var (session, runStore) = Start(location, afterCopy: () => throw new IOException("injected: the disk filled up during the copy"));
        using (session)
        {
            RecordBeforeTheCopy(session);
            var before = CheckpointFile.ReadBytes(location.FilePath);
            session.SettleCompaction();

            Assert.Equal(before, CheckpointFile.ReadBytes(location.FilePath));
            Assert.Empty(LeftoverTempFiles(store));
            AssertBeforeTheCopyReadsBack(session, runStore);

            session.Complete("after-the-failure", "recorded");
            Assert.Equal("recorded", session.ReadSavedOutput("after-the-failure"));
            AssertLoadsWhole(location, completed: 3, failed: 1, inFlight: 1);
            session.Finish();
        }

        Assert.Empty(LeftoverTempFiles(store));
        Assert.Equal(ItemState.Completed, CheckpointInspector.ReadItems(location).Single(i => i.Key == "after-the-failure").State);
    }

    [Fact]
    public void A_failed_directory_flush_after_the_swap_keeps_the_new_journal_whole_and_stops_the_run_clearly()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var copy = new HeldCopy();
        var (session, runStore) = Start(location, afterCopy: copy.Hold);
        using (session)
        {
            RecordBeforeTheCopy(session);
            copy.WaitUntilCopied();
            var before = CheckpointFile.Records(location.FilePath).Count;

            // The swap happens on this thread (SettleCompaction), after the copy: its directory flush fails.
            DirectorySync.FailNextOnThisThread = "injected EIO";
            try
            {
                copy.Release();
                session.SettleCompaction();
                Assert.Null(DirectorySync.FailNextOnThisThread);
            }
            finally
            {
                DirectorySync.FailNextOnThisThread = null;
            }

            Assert.True(CheckpointFile.Records(location.FilePath).Count < before, "the journal was not compacted");
            var error = Record.Exception(() => session.Complete("after-the-swap"));
            var io = Assert.IsType<CheckpointIOException>(error);
            Assert.Contains("injected EIO", io.ToString(), StringComparison.Ordinal);
        }

        // The new journal was in place and is whole: nothing padded, nothing lost, every offset right.
        AssertLoadsWhole(location, completed: 2, failed: 1, inFlight: 1);
        Assert.Empty(LeftoverTempFiles(store));
    }

    private static (CheckpointSession Session, FileRunStore Store) Start(CheckpointLocation location, Action afterCopy)
    {
        var options = Sessions.Options(o => o.Keep = true);
        var runStore = FileRunStore.Open(location, options);
        var armed = true;
        runStore.CompactDuringRun = (records, _) =>
        {
            if (!armed || records < CompactAt)
            {
                return false;
            }

            armed = false;
            return true;
        };
        runStore.AfterCompactionCopy = afterCopy;
        return (CheckpointSession.Start(location, runStore, options), runStore);
    }

    /// <summary>Results of every kind, then interruptions of one key until the compaction starts.</summary>
    private static void RecordBeforeTheCopy(CheckpointSession session)
    {
        session.Complete("with-output", "out");
        session.Complete("without-output");
        session.Fail("failed-early", "permanent");
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        for (var i = 0; i < CompactAt; i++)
        {
            Assert.Throws<OperationCanceledException>(() => session.Process("stubborn", a => throw new OperationCanceledException(a.CancellationToken), stopped.Token));
        }
    }

    private static void AssertBeforeTheCopyReadsBack(CheckpointSession session, FileRunStore runStore)
    {
        Assert.Equal("out", session.ReadSavedOutput("with-output"));
        Assert.Null(session.ReadSavedOutput("without-output"));
        Assert.Equal("permanent", runStore.ReadError("failed-early")?.Message);

        Assert.True(runStore.TryGet("stubborn", out var stubborn));
        Assert.Equal(KeyStatus.Interrupted, stubborn.Status);
        Assert.Equal(CompactAt, stubborn.Attempts);
    }

    /// <summary>The file passes a full load (every checksum, every line) and holds the expected states.</summary>
    private static void AssertLoadsWhole(CheckpointLocation location, long completed, long failed, long inFlight)
    {
        var loaded = JournalLoader.Load(location.FilePath);
        Assert.False(loaded.Scan.TornTail);
        Assert.Equal(completed, loaded.Keys.Completed);
        Assert.Equal(failed, loaded.Keys.Failed);
        Assert.Equal(inFlight, loaded.Keys.InFlight);
    }

    private static List<string> LeftoverTempFiles(TempStore store)
        => Directory.EnumerateFiles(store.Directory, "*.tmp").ToList();
}
