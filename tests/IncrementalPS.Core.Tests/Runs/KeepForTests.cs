using System;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>-KeepFor: a -Keep ledger forgets completed items older than the limit when it is compacted at the end of a run.</summary>
public sealed class KeepForTests
{
    private static readonly DateTime s_now = DateTime.UtcNow;

    [Fact]
    public void Completed_items_older_than_KeepFor_are_forgotten_and_the_rest_kept()
    {
        using var store = new TempStore();
        var location = store.Named();
        RunAt(location, s_now.AddDays(-10), keepFor: null, completed: ["old"], failed: ["old-failed"]);
        RunAt(location, s_now.AddDays(-3), keepFor: null, completed: ["recent"]);

        RunAt(location, s_now, keepFor: TimeSpan.FromDays(7), completed: ["new"]);

        var items = CheckpointInspector.ReadItems(location).ToDictionary(i => i.Key, i => i.State);
        Assert.Equal(["new", "old-failed", "recent"], items.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(ItemState.Failed, items["old-failed"]);
        Assert.DoesNotContain(CheckpointFile.ReadJsonLines(location.FilePath), line => line.TryGetProperty("key", out var key) && key.GetString() == "old");
    }

    [Fact]
    public void A_forgotten_item_runs_again_when_it_comes_back()
    {
        using var store = new TempStore();
        var location = store.Named();
        RunAt(location, s_now.AddDays(-2), keepFor: null, completed: ["a", "b"]);
        RunAt(location, s_now, keepFor: TimeSpan.FromDays(1), completed: []);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("a").Kind);
        session.Finish();
    }

    [Fact]
    public void Without_KeepFor_a_ledger_keeps_every_completed_item()
    {
        using var store = new TempStore();
        var location = store.Named();
        RunAt(location, s_now.AddDays(-400), keepFor: null, completed: ["ancient"]);

        RunAt(location, s_now, keepFor: null, completed: ["new"]);

        Assert.Equal(["ancient", "new"], CheckpointInspector.ReadItems(location).Select(i => i.Key));
    }

    [Fact]
    public void A_KeepFor_that_is_not_positive_is_refused()
    {
        using var store = new TempStore();

        Assert.Throws<ArgumentOutOfRangeException>(() => Sessions.RunAll(store.Named(), Sessions.Options(o => o.KeepFor = TimeSpan.Zero), ["a"]));
        Assert.False(store.Named().Exists);
    }

    private static void RunAt(CheckpointLocation location, DateTime time, TimeSpan? keepFor, string[] completed, string[]? failed = null)
    {
        using var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.Keep = true;
            o.KeepFor = keepFor;
            o.Clock = () => time;
        }));
        foreach (var key in completed)
        {
            session.Complete(key);
        }

        foreach (var key in failed ?? [])
        {
            session.Fail(key);
        }

        session.Finish();
    }
}
