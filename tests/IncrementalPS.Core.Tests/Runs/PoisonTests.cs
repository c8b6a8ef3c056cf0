using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// An item whose work kills the process would stop every resume forever; after PoisonThreshold (3) runs died while it
/// was in flight it is recorded as failed instead. Each "death" here is a real process killing itself.
/// </summary>
public sealed class PoisonTests
{
    private const string PoisonKey = "item-0003";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void An_item_in_flight_in_three_successive_dead_runs_is_poisoned_and_a_run_that_died_before_it_does_not_count()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("poison.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var location = CheckpointLocation.FromPath(checkpoint);

        // Two runs die on the poison item, one dies before reaching it, one more dies on it.
        RunHost(checkpoint, log, expectKilled: true);
        RunHost(checkpoint, log, expectKilled: true);
        RunHost(checkpoint, log, expectKilled: true, "--die-at-seen", "2");
        Assert.Equal(ItemState.InFlight, CheckpointInspector.ReadItems(location, keyFilter: k => k == PoisonKey).Single().State);
        RunHost(checkpoint, log, expectKilled: true);
        Assert.Equal(3, File.ReadAllLines(log).Count(l => l == PoisonKey));

        // The next run does not run it again: it is recorded failed as a poison item and the rest completes.
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            Assert.Equal(1, session.Resume.InFlight);
            var ran = false;
            var outcome = session.Process(PoisonKey, _ => { ran = true; return null; });

            Assert.False(ran);
            Assert.Equal(ItemOutcomeKind.Poisoned, outcome.Kind);
            Assert.True(outcome.WasSkipped);
            Assert.Contains("died", outcome.Error?.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("3 times", outcome.Error?.Message, StringComparison.Ordinal);
            Assert.Equal(ItemOutcomeKind.Completed, session.Complete("item-0004").Kind);
            var summary = session.Finish();
            Assert.Equal(CheckpointState.Failed, summary.State);
            Assert.Equal(1, summary.Failed);
        }

        var poisoned = CheckpointInspector.ReadItems(location, ItemState.Failed).Single();
        Assert.Equal(PoisonKey, poisoned.Key);
        Assert.Contains("3 times", poisoned.Error?.Message, StringComparison.Ordinal);

        // Its deaths stay on record, as the shared store keeps them: through the end's compaction and a rewrite.
        Assert.Equal(3, poisoned.Deaths);
        CheckpointReset.DropSavedText(location);
        Assert.Equal(3, CheckpointInspector.ReadItems(location, ItemState.Failed).Single().Deaths);
    }

    [Fact]
    public void Fewer_deaths_than_the_threshold_let_the_item_run_again()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("twice.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var location = CheckpointLocation.FromPath(checkpoint);
        RunHost(checkpoint, log, expectKilled: true);
        RunHost(checkpoint, log, expectKilled: true);

        // Read from outside with no live run: both runs that had the item in flight are dead.
        var item = CheckpointInspector.ReadItems(location, keyFilter: k => k == PoisonKey).Single();
        Assert.Equal(ItemState.InFlight, item.State);
        Assert.Equal(2, item.Deaths);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        var ran = false;
        var outcome = session.Process(PoisonKey, _ => { ran = true; return null; });

        Assert.True(ran);
        Assert.Equal(ItemOutcomeKind.Completed, outcome.Kind);
    }

    [Fact]
    public void A_poisoned_item_can_be_retried_on_purpose()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("retry.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var location = CheckpointLocation.FromPath(checkpoint);
        for (var i = 0; i < 3; i++)
        {
            RunHost(checkpoint, log, expectKilled: true, "--poison-threshold", "3");
        }

        using (var poisoning = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            Assert.Equal(ItemOutcomeKind.Poisoned, poisoning.Complete(PoisonKey).Kind);
            poisoning.Finish();
        }

        using var retrying = CheckpointSession.Start(location, Sessions.Options(o => o.RetryFailed = true));
        Assert.Equal(ItemOutcomeKind.Completed, retrying.Complete(PoisonKey).Kind);
    }

    private static void RunHost(string checkpoint, string log, bool expectKilled, params string[] extra)
    {
        string[] arguments = ["run", checkpoint, "6", log, "0", "Normal", "--keep", "--poison-key", PoisonKey, .. extra];
        using var host = TestHostProcess.Start(arguments);
        var exitCode = host.WaitForExit(s_timeout);
        Assert.True(
            expectKilled == (exitCode != 0),
            $"test host exit code {exitCode}, expected it to {(expectKilled ? "die" : "finish")}. stderr: {host.StandardError}");
    }
}
