using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace IncrementalPS.Core.Tests.Crash;

/// <summary>
/// The test host works through N items and is killed (SIGKILL) at random moments, many times, resuming after each
/// kill. In the end every item is completed exactly once in the checkpoint, and each kill made at most one item run
/// twice.
/// </summary>
public sealed class CrashRecoveryTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly ITestOutputHelper _output;

    public CrashRecoveryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(Durability.Normal, 20, 20261122)]
    [InlineData(Durability.Full, 8, 7)]
    public void Every_item_completes_exactly_once_despite_random_kills(Durability durability, int kills, int seed)
    {
        // Enough items that the killed runs never reach the end (at most about 60 ms of work per kill).
        const int itemCount = 1500;
        const int sleepMs = 4;
        using var store = new TempStore();
        var checkpoint = store.PathOf("crash.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var random = new Random(seed);
        string[] Arguments(int sleep) =>
        [
            "run", checkpoint, itemCount.ToString(System.Globalization.CultureInfo.InvariantCulture), log,
            sleep.ToString(System.Globalization.CultureInfo.InvariantCulture), durability.ToString(), "--keep",
            // Kills land on the same item again and again; the poison rule is not what this test is about.
            "--poison-threshold", "1000",
        ];
        var arguments = Arguments(sleepMs);

        var effectiveKills = 0;
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < kills; attempt++)
        {
            using var host = TestHostProcess.Start(arguments);
            if (attempt % 4 == 0)
            {
                // Anywhere from process start-up through opening (and repairing) the checkpoint to the first items.
                Thread.Sleep(random.Next(0, 400));
            }
            else
            {
                host.WaitForLine("ready", s_timeout);
                Thread.Sleep(random.Next(0, 60));
            }

            if (host.Kill())
            {
                effectiveKills++;
            }
            else
            {
                Assert.Fail($"the test host ended before kill {attempt + 1} (exit code {host.ExitCode}): {host.StandardError}");
            }
        }

        _output.WriteLine($"{effectiveKills} kills in {clock.Elapsed}");
        // The last run is not killed: it need not sleep between items.
        using (var last = TestHostProcess.Start(Arguments(0)))
        {
            Assert.True(0 == last.WaitForExit(s_timeout), $"the final run failed: {last.StandardError}");
        }

        var location = CheckpointLocation.FromPath(checkpoint);
        var items = CheckpointInspector.ReadItems(location);
        var expected = Enumerable.Range(0, itemCount).Select(i => $"item-{i:D4}").ToList();
        Assert.Equal(expected, items.Select(i => i.Key).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
        Assert.Equal(CheckpointState.Completed, CheckpointInspector.ReadStatus(location).State);
        CheckpointFile.ReadJsonLines(checkpoint);

        // Every execution left one whole line; an item runs again only if a kill caught it in flight, one per kill.
        var executions = File.ReadAllLines(log);
        var counts = executions.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(expected.ToHashSet(), counts.Keys.ToHashSet());
        var extras = counts.Values.Sum(c => c - 1);
        var repeated = counts.Where(c => c.Value > 1).Select(c => $"{c.Key}x{c.Value}");
        _output.WriteLine($"{extras} repeated executions: {string.Join(' ', repeated)}");
        Assert.True(extras <= effectiveKills, $"{extras} repeated executions for {effectiveKills} kills: {string.Join(' ', repeated)}");
        Assert.Equal(itemCount + extras, executions.Length);
    }

    [Fact]
    public void Kills_during_compaction_lose_nothing_and_leave_no_temporary_file()
    {
        // A journal of about 36 MB (items with 3,000 characters of saved output): the compaction each finishing run
        // makes takes a while to copy and flush.
        const int itemCount = 12_000;
        const int kills = 8;
        using var store = new TempStore();
        var checkpoint = store.PathOf("compacting.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var random = new Random(20261129);
        string[] arguments =
        [
            "run", checkpoint, itemCount.ToString(System.Globalization.CultureInfo.InvariantCulture), log, "0", "Normal", "--keep",
            "--output-chars", "3000",
        ];

        // The first run does the work, and half of it is killed partway, to leave items for the later runs.
        using (var first = TestHostProcess.Start(arguments))
        {
            first.WaitForLine("ready", s_timeout);
            Thread.Sleep(random.Next(50, 150));
            first.Kill();
        }

        var leftBehind = 0;
        for (var attempt = 0; attempt < kills; attempt++)
        {
            using var host = TestHostProcess.Start(arguments);
            // Finishing compacts: a resumed run has more records than keys (its run-started and run-ended at least).
            host.WaitForLine("finishing", s_timeout);
            Thread.Sleep(random.Next(0, 60));
            if (!host.Kill())
            {
                // The compaction finished before the kill: nothing to see this time.
                continue;
            }

            leftBehind += Directory.EnumerateFiles(store.Directory, ".compacting.checkpoint.jsonl.*.tmp").Count();
            var location = CheckpointLocation.FromPath(checkpoint);
            var between = CheckpointInspector.ReadItems(location);
            Assert.Equal(itemCount, between.Count(i => i.State == ItemState.Completed));
        }

        _output.WriteLine($"{leftBehind} temporary files left by {kills} kills");
        Assert.True(leftBehind > 0, "no kill landed during a compaction: the test did not test anything");

        using (var last = TestHostProcess.Start(arguments))
        {
            Assert.True(0 == last.WaitForExit(s_timeout), $"the final run failed: {last.StandardError}");
        }

        Assert.Empty(Directory.EnumerateFiles(store.Directory, "*.tmp"));
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(checkpoint));
        Assert.Equal(itemCount, items.Count);
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
        var executions = File.ReadAllLines(log);
        Assert.Equal(itemCount, executions.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Kills_during_a_mid_run_compaction_lose_nothing_and_leave_no_temporary_file()
    {
        // Items with 3,000 characters of saved output, compacted every 500 results: each copy takes a while, and the
        // run goes on recording while it runs. Each kill lands soon after a copy ended: before, during or after the swap.
        const int itemCount = 12_000;
        const int kills = 8;
        using var store = new TempStore();
        var checkpoint = store.PathOf("midrun.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var random = new Random(20261130);
        string[] arguments =
        [
            // A millisecond per item, so that each killed run gets only a little past its first compaction.
            "run", checkpoint, itemCount.ToString(System.Globalization.CultureInfo.InvariantCulture), log, "1", "Normal", "--keep",
            "--output-chars", "3000", "--compact-every", "500",
        ];

        var leftBehind = 0;
        var completedBefore = 0;
        for (var attempt = 0; attempt < kills; attempt++)
        {
            using var host = TestHostProcess.Start(arguments);
            host.WaitForLine("compaction-copied", s_timeout);
            Thread.Sleep(random.Next(0, 60));
            if (!host.Kill())
            {
                Assert.Fail($"the test host ended before kill {attempt + 1} (exit code {host.ExitCode}): {host.StandardError}");
            }

            leftBehind += Directory.EnumerateFiles(store.Directory, ".midrun.checkpoint.jsonl.*.tmp").Count();

            // The journal, old or new, loads whole and has every result recorded before the kill: of the items that
            // ran, only the one the kill caught in flight is not completed.
            CheckpointFile.ReadJsonLines(checkpoint);
            var completed = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(checkpoint))
                .Where(i => i.State == ItemState.Completed).Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
            var notRecorded = File.ReadAllLines(log).Distinct(StringComparer.Ordinal).Where(k => !completed.Contains(k)).ToList();
            Assert.True(notRecorded.Count <= 1, $"kill {attempt + 1}: {notRecorded.Count} items ran but are not completed: {string.Join(' ', notRecorded.Take(10))}");
            completedBefore = completed.Count;
        }

        _output.WriteLine($"{leftBehind} temporary files left by {kills} kills; {completedBefore} items completed by then");
        Assert.True(leftBehind > 0, "no kill landed before a swap: the test did not test anything");

        using (var last = TestHostProcess.Start(arguments))
        {
            Assert.True(0 == last.WaitForExit(s_timeout), $"the final run failed: {last.StandardError}");
        }

        Assert.Empty(Directory.EnumerateFiles(store.Directory, "*.tmp"));
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(checkpoint));
        Assert.Equal(itemCount, items.Count);
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
        var executions = File.ReadAllLines(log);
        Assert.Equal(itemCount, executions.Distinct(StringComparer.Ordinal).Count());
    }
}
