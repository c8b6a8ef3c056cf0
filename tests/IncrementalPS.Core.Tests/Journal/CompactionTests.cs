using System.Collections.Generic;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>Compaction keeps the live state and nothing else, replacing the file atomically.</summary>
public sealed class CompactionTests
{
    [Fact]
    public void A_kept_checkpoint_is_compacted_to_one_record_per_key_at_the_end_of_the_run()
    {
        using var store = new TempStore();
        var location = store.Named();
        var keys = Sessions.Keys("k", 30);

        // Three runs over the same keys: the second retries the failed ones, the third only skips.
        Sessions.MakeKept(location, keys.Take(20), failed: keys.Skip(20));
        Sessions.RunAll(location, Sessions.Options(o => { o.Keep = true; o.RetryFailed = true; }), keys);
        Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), keys);

        var records = CheckpointFile.Records(location.FilePath);
        var itemRecords = records.Where(r => r.TryGetProperty("key", out _)).ToList();
        Assert.Equal(keys.Count, itemRecords.Count);
        Assert.Equal(keys.Order(System.StringComparer.Ordinal), itemRecords.Select(r => r.GetProperty("key").GetString()!).Order(System.StringComparer.Ordinal));
        Assert.All(itemRecords, r => Assert.Equal("item-completed", r.GetProperty("type").GetString()));
        // Only the last run's start and end remain (its end is also the latest end of a run that read all its input).
        Assert.Equal(3, Assert.Single(records, r => r.GetProperty("type").GetString() == "run-started").GetProperty("run").GetInt32());
        Assert.Equal(3, Assert.Single(records, r => r.GetProperty("type").GetString() == "run-ended").GetProperty("run").GetInt32());

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Completed, status.State);
        Assert.Equal(30, status.Completed);
        Assert.Equal(3, status.Runs);
    }

    [Fact]
    public void Compaction_keeps_every_key_state_error_attempt_count_and_saved_output()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => { o.Keep = true; o.MaxAttempts = 3; })))
        {
            session.Complete("with-output", "out");
            session.Complete("without-output");
            session.Process("flaky", a => a.AttemptInRun < 3 ? throw new IOException("try again") : "third time");
            session.Fail("broken", "permanent");
            session.Finish();
        }

        var items = CheckpointInspector.ReadItems(location).ToDictionary(i => i.Key);

        Assert.Equal(ItemState.Completed, items["with-output"].State);
        Assert.True(items["with-output"].HasSavedOutput);
        Assert.False(items["without-output"].HasSavedOutput);
        Assert.Equal(ItemState.Completed, items["flaky"].State);
        Assert.Equal(3, items["flaky"].Attempts);
        Assert.Equal(ItemState.Failed, items["broken"].State);
        Assert.Equal(3, items["broken"].Attempts);
        Assert.Equal("permanent", items["broken"].Error?.Message);
        Assert.Equal(typeof(System.InvalidOperationException).FullName, items["broken"].Error?.Type);

        using var again = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        Assert.Equal("third time", again.ReadSavedOutput("flaky"));
        Assert.Equal("out", again.ReadSavedOutput("with-output"));
    }

    [Fact]
    public void A_journal_grown_far_past_its_live_state_is_compacted_during_the_run()
    {
        using var store = new TempStore();
        var location = store.Named();

        // One key stopped 110,000 times: one item-interrupted record each (over 100,000 records, well past the
        // engine's slack), while the live state stays three keys.
        using var session = CheckpointSession.Start(location, Sessions.Options());
        session.Complete("steady");
        using var stopped = new System.Threading.CancellationTokenSource();
        stopped.Cancel();
        for (var i = 1; i <= 110_000; i++)
        {
            Assert.Throws<System.OperationCanceledException>(() => session.Process("stubborn", a => throw new System.OperationCanceledException(a.CancellationToken), stopped.Token));
        }

        session.Complete("after");
        session.SettleCompaction();

        // With two keys the journal is compacted once it holds more than 3 × 2 + 100,000 records: at the 100,005th
        // interruption (after run-started and steady's result), leaving run-started, steady and stubborn. The other
        // 9,995 interruptions and after's result follow.
        Assert.Equal(3 + 9_995 + 1, CheckpointFile.Records(location.FilePath).Count);

        // The compacted file is still well-formed, still appended to, and still knows every key.
        var keys = CheckpointFile.Records(location.FilePath).Where(r => r.TryGetProperty("key", out _)).Select(r => r.GetProperty("key").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "steady", "stubborn", "after" }, keys);
        var items = CheckpointInspector.ReadItems(location).ToDictionary(i => i.Key);
        Assert.Equal(ItemState.Completed, items["steady"].State);
        Assert.Equal(ItemState.InFlight, items["stubborn"].State);
        Assert.Equal(110_000, items["stubborn"].Attempts);
        Assert.Equal(ItemState.Completed, items["after"].State);
    }

    [Fact]
    public void The_attempt_count_read_back_matches_the_one_reported_even_past_65535()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.MaxAttempts = 70_000;
            o.RetryDelay = System.TimeSpan.Zero;
            o.MaxRetryDelay = System.TimeSpan.Zero;
        }));

        var outcome = session.Fail("stubborn");

        Assert.Equal(70_000, outcome.Attempts);
        Assert.Equal(70_000, CheckpointFile.Records(location.FilePath, "item-failed")[^1].GetProperty("attempt").GetInt32());
        Assert.Equal(70_000, CheckpointInspector.ReadItems(location).Single().Attempts);
    }

    [Fact]
    public void Compaction_leaves_no_temporary_files_behind()
    {
        using var store = new TempStore();
        var location = store.Named("tidy");

        Sessions.MakeKept(location, Sessions.Keys("k", 10), failed: ["bad"]);

        var files = Directory.EnumerateFiles(store.Directory).Select(Path.GetFileName).ToList();
        Assert.All(files, f => Assert.StartsWith("tidy.checkpoint.jsonl", f, System.StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f!.EndsWith(".tmp", System.StringComparison.OrdinalIgnoreCase));
    }
}
