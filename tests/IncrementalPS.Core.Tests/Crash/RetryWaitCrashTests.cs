using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace IncrementalPS.Core.Tests.Crash;

/// <summary>
/// An item is failed only when its last allowed attempt failed. A run killed (SIGKILL) while an item waits to be
/// tried again leaves that item unfinished: it runs again on resume, with the failed attempt counted.
/// </summary>
public sealed class RetryWaitCrashTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly ITestOutputHelper _output;

    public RetryWaitCrashTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void A_kill_during_a_retry_wait_leaves_the_item_in_flight_with_its_attempt_counted()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("retry.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var location = CheckpointLocation.FromPath(checkpoint);

        // Every item's first attempt fails, and the retry waits a minute: the kill lands in that wait.
        using (var host = TestHostProcess.Start(Arguments(checkpoint, log, itemCount: 3, retryDelayMs: 60_000, failAttemptsInRun: 1)))
        {
            Assert.Equal("retrying item-0000", host.WaitForLine("retrying", s_timeout));
            Assert.True(host.Kill(), "the test host ended before it was killed");
        }

        var waiting = Assert.Single(CheckpointInspector.ReadItems(location));
        Assert.Equal("item-0000", waiting.Key);
        Assert.Equal(ItemState.InFlight, waiting.State);
        Assert.Equal(1, waiting.Attempts);
        Assert.Equal(0, CheckpointInspector.ReadStatus(location).Failed);

        using (var resume = TestHostProcess.Start(Arguments(checkpoint, log, itemCount: 3, retryDelayMs: 0, failAttemptsInRun: 0)))
        {
            Assert.True(0 == resume.WaitForExit(s_timeout), resume.StandardError);
        }

        var items = CheckpointInspector.ReadItems(location).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "item-0000", "item-0001", "item-0002" }, items.Select(i => i.Key));
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
        Assert.Equal(new[] { 2, 1, 1 }, items.Select(i => i.Attempts));
    }

    [Fact]
    public void Kills_around_retry_waits_never_leave_an_item_failed_before_its_last_attempt()
    {
        // Enough items that no killed run reaches the end, though the kill may come well after the line it waits for.
        const int itemCount = 300;
        const int kills = 10;
        using var store = new TempStore();
        var checkpoint = store.PathOf("retry.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        var location = CheckpointLocation.FromPath(checkpoint);
        var random = new Random(20261129);

        // Each item fails its first attempt in every run and completes its second, 30 ms later: most kills land in a
        // wait, the others in an attempt or between items.
        for (var kill = 0; kill < kills; kill++)
        {
            using var host = TestHostProcess.Start(Arguments(checkpoint, log, itemCount, retryDelayMs: 30, failAttemptsInRun: 1));
            host.WaitForLine("retrying", s_timeout);
            Thread.Sleep(random.Next(0, 40));
            Assert.True(host.Kill(), $"the test host ended before kill {kill + 1} (exit code {host.ExitCode}): {host.StandardError}");
            Assert.Equal(0, CheckpointInspector.ReadStatus(location).Failed);
        }

        // The last run is not killed and need not fail: an item left failed by a kill would be skipped by it.
        using (var last = TestHostProcess.Start(Arguments(checkpoint, log, itemCount, retryDelayMs: 0, failAttemptsInRun: 0)))
        {
            Assert.True(0 == last.WaitForExit(s_timeout), last.StandardError);
        }

        var items = CheckpointInspector.ReadItems(location);
        _output.WriteLine($"attempts: {string.Join(' ', items.Select(i => i.Attempts))}");
        Assert.Equal(itemCount, items.Count);
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
        Assert.Equal(CheckpointState.Completed, CheckpointInspector.ReadStatus(location).State);
    }

    private static string[] Arguments(string checkpoint, string log, int itemCount, int retryDelayMs, int failAttemptsInRun)
    {
        var c = CultureInfo.InvariantCulture;
        return
        [
            "run", checkpoint, itemCount.ToString(c), log, "0", nameof(Durability.Normal), "--keep",
            "--max-attempts", "2", "--retry-delay-ms", retryDelayMs.ToString(c),
            "--fail-attempts-in-run", failAttemptsInRun.ToString(c),
            // The kills land on items in flight again and again; the poison rule is not what this test is about.
            "--poison-threshold", "1000",
        ];
    }
}
