using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>A worker that completes the job says the checkpoint was removed only when the store removed it.</summary>
public sealed class SharedRemovalTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_complete_run_while_another_worker_is_live_keeps_the_checkpoint_and_says_so()
    {
        using var other = Start();
        RunSummary summary;
        using (var worker = Start())
        {
            worker.Complete("a");
            summary = worker.Finish();
        }

        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.False(summary.CheckpointRemoved, "the store declined the removal: another worker is live");
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
    }

    [Fact]
    public void The_last_worker_of_a_complete_job_removes_the_checkpoint_and_says_so()
    {
        RunSummary summary;
        using (var worker = Start())
        {
            worker.Complete("a");
            summary = worker.Finish();
        }

        Assert.True(summary.CheckpointRemoved);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
    }

    private CheckpointSession Start()
    {
        var options = Sessions.Options();
        return CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")),
            PostgresRunStore.Open(_db.Target, "job", options, TimeSpan.FromSeconds(30)),
            options);
    }
}
