using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>The rate a shared checkpoint's status shows is what its live workers finish, not what earlier runs did.</summary>
public sealed class SharedStatusRateTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Items_finished_before_the_live_workers_started_do_not_count_in_the_rate()
    {
        // A run that was suspended (or ended) a moment ago, then a worker that resumes it and has finished nothing yet.
        using (var earlier = Start())
        {
            foreach (var key in Sessions.Keys("k", 50))
            {
                earlier.Complete(key);
            }

            earlier.Finish();
        }

        using var resumed = Start();

        var status = PostgresStatusReader.Read(_db.Target, "job");

        Assert.Equal(CheckpointState.Running, status.State);
        Assert.Equal(50, status.Completed);
        Assert.True((status.Rate ?? 0) == 0, $"rate {status.Rate} counts the earlier run's items over the new worker's few milliseconds");
    }

    private CheckpointSession Start()
    {
        var options = Sessions.Options(o => o.Keep = true);
        return CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")),
            PostgresRunStore.Open(_db.Target, "job", options, TimeSpan.FromSeconds(30)),
            options);
    }
}
