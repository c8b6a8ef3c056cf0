using System;
using System.Linq;
using System.Threading.Tasks;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Status;

/// <summary>Status from outside: never blocks the writer, never sees half a record, never changes the file.</summary>
public sealed class InspectorTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_checkpoint_held_by_a_live_process_reads_as_running_with_its_owner_counts_and_items()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("live.checkpoint.jsonl");
        var location = CheckpointLocation.FromPath(checkpoint);
        using var host = TestHostProcess.Start("hold", checkpoint, "5");
        host.WaitForLine("holding", s_timeout);
        var hash = CheckpointFile.Sha256(checkpoint);

        var status = CheckpointInspector.ReadStatus(location);

        Assert.Equal(CheckpointState.Running, status.State);
        Assert.Equal("live", status.Name);
        Assert.Equal(checkpoint, status.Path);
        Assert.Equal(5, status.Completed);
        Assert.Equal(0, status.Failed);
        Assert.Equal(1, status.InFlight);
        Assert.Equal(host.Id, status.Owner?.ProcessId);
        Assert.Equal(JournalFormat.CurrentVersion, status.FormatVersion);
        Assert.Equal(1, status.Runs);
        Assert.NotNull(status.StartedAt);
        Assert.NotNull(status.UpdatedAt);
        Assert.True(CheckpointInspector.IsRunning(location));

        var completed = CheckpointInspector.ReadItems(location, ItemState.Completed);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"held-{i:D4}"), completed.Select(i => i.Key));
        Assert.All(completed, i => Assert.NotNull(i.CompletedAt));
        var inFlight = Assert.Single(CheckpointInspector.ReadItems(location, ItemState.InFlight));
        Assert.Equal("held-inflight", inFlight.Key);
        Assert.Null(inFlight.CompletedAt);
        Assert.Equal(["held-0003"], CheckpointInspector.ReadItems(location, keyFilter: k => k.EndsWith('3')).Select(i => i.Key));
        Assert.Empty(CheckpointInspector.ReadItems(location, ItemState.Failed));
        Assert.Equal(hash, CheckpointFile.Sha256(checkpoint));

        host.SendLine("go");
        Assert.Equal(0, host.WaitForExit(s_timeout));
        var after = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Completed, after.State);
        Assert.Null(after.Owner);
        Assert.Equal(6, after.Completed);
    }

    [Fact]
    public void A_checkpoint_whose_process_was_killed_reads_as_interrupted()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("dead.checkpoint.jsonl");
        var location = CheckpointLocation.FromPath(checkpoint);
        using (var host = TestHostProcess.Start("hold", checkpoint, "2"))
        {
            host.WaitForLine("holding", s_timeout);
            host.Kill();
        }

        var status = CheckpointInspector.ReadStatus(location);

        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.Null(status.Owner);
        Assert.Null(status.Rate);
        Assert.Equal(2, status.Completed);
        Assert.Equal(1, status.InFlight);
    }

    [Fact]
    public void Completed_and_failed_checkpoints_read_as_such_with_their_errors()
    {
        using var store = new TempStore();
        var done = store.Named("done");
        var failed = store.Named("failed");
        Sessions.MakeKept(done, ["a", "b"]);
        Sessions.MakeKept(failed, ["a"], failed: ["b", "c"]);

        var doneStatus = CheckpointInspector.ReadStatus(done);
        var failedStatus = CheckpointInspector.ReadStatus(failed);

        Assert.Equal(CheckpointState.Completed, doneStatus.State);
        Assert.Equal(2, doneStatus.Completed);
        Assert.Equal(CheckpointState.Failed, failedStatus.State);
        Assert.Equal(1, failedStatus.Completed);
        Assert.Equal(2, failedStatus.Failed);
        var failures = CheckpointInspector.ReadItems(failed, ItemState.Failed);
        Assert.Equal(["b", "c"], failures.Select(i => i.Key));
        Assert.All(failures, i => Assert.Equal("boom", i.Error?.Message));
        Assert.All(failures, i => Assert.Equal(1, i.Attempts));
    }

    [Fact]
    public void A_live_run_reports_its_total_and_percentage()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 8));
        foreach (var key in Sessions.Keys("k", 4))
        {
            session.Complete(key);
        }

        var status = CheckpointInspector.ReadStatus(location);

        Assert.Equal(CheckpointState.Running, status.State);
        Assert.Equal(8, status.Total);
        Assert.Equal(50.0, status.PercentComplete);
        Assert.Equal(Environment.ProcessId, status.Owner?.ProcessId);
    }

    [Fact]
    public async Task Readers_running_beside_a_busy_writer_never_fail_and_never_go_backwards()
    {
        using var store = new TempStore();
        var location = store.Named();
        const int items = 1500;
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        session.Complete("first");

        var writer = Task.Run(() =>
        {
            foreach (var key in Sessions.Keys("k", items))
            {
                session.Process(key, _ => new string('o', 200));
            }
        });

        long lastCompleted = 0;
        var reads = 0;
        while (!writer.IsCompleted || reads < 20)
        {
            var status = CheckpointInspector.ReadStatus(location);
            Assert.Equal(CheckpointState.Running, status.State);
            Assert.True(status.Completed >= lastCompleted, $"completed went from {lastCompleted} to {status.Completed}");
            Assert.InRange(status.InFlight, 0, 1);
            lastCompleted = status.Completed;

            var inFlight = CheckpointInspector.ReadItems(location, ItemState.InFlight);
            Assert.True(inFlight.Count <= 1);
            reads++;
        }

        await writer;
        Assert.Equal(items + 1, CheckpointInspector.ReadStatus(location).Completed);
        Assert.True(reads >= 20);
    }
}
