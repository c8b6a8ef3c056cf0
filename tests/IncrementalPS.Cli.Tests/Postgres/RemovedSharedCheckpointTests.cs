using System;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary><c>incps run</c> on a PostgreSQL store whose checkpoint a forced reset removes while it runs.</summary>
public sealed class RemovedSharedCheckpointTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [PosixFact]
    public void A_worker_whose_checkpoint_a_forced_reset_removed_stops_saying_so_not_that_its_work_is_kept()
    {
        using var job = new Job();
        var store = new[] { "--store", _db.ConnectionString };
        using var worker = job.Start(Job.RunArgs("job", store, job.MarkCommand()));
        worker.Input.Write("a\n");
        worker.Input.Flush();
        Assert.True(
            worker.WaitUntil(() => Completed() == 1, IncpsProcess.DefaultTimeout),
            worker.Stderr);

        var reset = job.Incps(string.Empty, "reset", "job", "--store", _db.ConnectionString, "--force");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        worker.Input.Write("b\n");
        worker.Input.Close();
        var stopped = worker.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(stopped.ExitCode == 3, stopped.ToString());
        Assert.Contains("was removed", stopped.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("are kept", stopped.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
    }

    // The worker creates the tables when it joins: none yet is none completed.
    private long Completed()
    {
        try
        {
            return (long)_db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0")!;
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == "42P01")
        {
            return 0;
        }
    }
}
