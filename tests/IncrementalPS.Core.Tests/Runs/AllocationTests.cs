using System;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>The engine's per-item path allocates nothing once warm: memory is the keys, not the items processed.</summary>
public sealed class AllocationTests
{
    private static readonly Func<ItemAttempt, string?> s_noWork = static _ => null;

    [Fact]
    public void Processing_an_item_allocates_nothing_in_steady_state()
    {
        using var store = new TempStore();
        var location = store.Named();
        // Keys the checkpoint already knows (failed, retried now): a key new to the table costs its entry, which is
        // the memory the engine is meant to use; everything else must come for free.
        var keys = Sessions.Keys("k", 4000);
        Sessions.MakeKept(location, Array.Empty<string>(), failed: keys);
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.RetryFailed = true));
        for (var i = 0; i < 2000; i++)
        {
            session.Process(keys[i], s_noWork);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 2000; i < keys.Count; i++)
        {
            session.Process(keys[i], s_noWork);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(4000, session.GetProgress().Completed);
    }

    [Fact]
    public void Skipping_a_completed_item_allocates_nothing_in_steady_state()
    {
        using var store = new TempStore();
        var location = store.Named();
        var keys = Sessions.Keys("k", 4000);
        Sessions.MakeKept(location, keys);
        using var session = CheckpointSession.Start(location, Sessions.Options());
        for (var i = 0; i < 2000; i++)
        {
            session.Process(keys[i], s_noWork);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 2000; i < keys.Count; i++)
        {
            session.Process(keys[i], s_noWork);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(4000, session.GetProgress().Skipped);
    }
}
