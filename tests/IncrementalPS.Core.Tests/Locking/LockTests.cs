using System;
using System.Globalization;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Locking;

/// <summary>One owner at a time: a second run fails at once naming the holder; a dead holder does not block.</summary>
public sealed class LockTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_second_run_in_the_same_process_is_refused_naming_the_holder()
    {
        using var store = new TempStore();
        var location = store.Named();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        using var first = CheckpointSession.Start(location, Sessions.Options());
        first.Complete("a");
        var hash = CheckpointFile.Sha256(location.FilePath);

        var error = Assert.Throws<CheckpointLockedException>(() => CheckpointSession.Start(location, Sessions.Options()));

        Assert.NotNull(error.Owner);
        Assert.Equal(Environment.ProcessId, error.Owner.ProcessId);
        Assert.Equal(Environment.MachineName, error.Owner.HostName);
        Assert.InRange(error.Owner.StartedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal("IncrementalPS.Core.Tests", error.Owner.Writer);
        Assert.Contains(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains(location.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, CheckpointFile.Sha256(location.FilePath));

        // The first run is unharmed.
        Assert.Equal(ItemOutcomeKind.Completed, first.Complete("b").Kind);
    }

    [Fact]
    public void The_lock_is_released_when_the_run_ends()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var first = CheckpointSession.Start(location, Sessions.Options()))
        {
            first.Complete("a");
        }

        Assert.False(CheckpointInspector.IsRunning(location));
        using var second = CheckpointSession.Start(location, Sessions.Options());
        Assert.True(CheckpointInspector.IsRunning(location));
    }

    [Fact]
    public void A_run_in_another_process_is_named_as_the_holder()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("held.checkpoint.jsonl");
        var location = CheckpointLocation.FromPath(checkpoint);
        using var host = TestHostProcess.Start("hold", checkpoint, "3");
        host.WaitForLine("holding", s_timeout);

        var error = Assert.Throws<CheckpointLockedException>(() => CheckpointSession.Start(location, Sessions.Options()));

        Assert.Equal(host.Id, error.Owner?.ProcessId);
        Assert.Equal(Environment.MachineName, error.Owner?.HostName);
        Assert.Equal("IncrementalPS.Core.TestHost", error.Owner?.Writer);
        Assert.Contains(host.Id.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.True(CheckpointInspector.IsRunning(location));

        host.SendLine("go");
        Assert.Equal(0, host.WaitForExit(s_timeout));
        Assert.False(CheckpointInspector.IsRunning(location));
    }

    [Fact]
    public void The_lock_of_a_killed_process_does_not_block_the_next_run()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("killed.checkpoint.jsonl");
        var location = CheckpointLocation.FromPath(checkpoint);
        using (var host = TestHostProcess.Start("hold", checkpoint, "3"))
        {
            host.WaitForLine("holding", s_timeout);
            Assert.True(host.Kill());
        }

        // The lock and owner files may remain; a dead holder's lock is released by the operating system.
        Assert.False(CheckpointInspector.IsRunning(location));
        Assert.Null(CheckpointInspector.ReadStatus(location).Owner);
        using var session = CheckpointSession.Start(location, Sessions.Options());

        Assert.Equal(3, session.Resume.Completed);
        Assert.Equal(1, session.Resume.InFlight);
        Assert.Equal(CheckpointState.Interrupted, session.Resume.PreviousState);
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete("held-0000").Kind);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("held-inflight").Kind);
    }

    [Fact]
    public void A_stale_owner_file_from_a_dead_process_does_not_block()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);
        File.WriteAllText(location.OwnerPath, "{\"pid\":999999,\"host\":\"elsewhere\",\"started\":\"2020-01-01T00:00:00Z\"}\n");
        File.WriteAllText(location.LockPath, string.Empty);

        using var session = CheckpointSession.Start(location, Sessions.Options());

        Assert.Equal(1, session.Resume.Completed);
    }
}
