using System;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>incps suspend reaches every live worker of a checkpoint in a real PostgreSQL server, each in its own process.</summary>
public sealed class SharedStoreSuspendTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [PosixFact]
    public void Two_workers_suspended_from_a_third_process_record_their_items_in_flight_exit_4_and_one_run_resumes_the_rest()
    {
        using var job = new Job();
        var items = Job.Items(80);
        // A short lease: the heartbeat, which reads the request, beats every second.
        var args = Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--lease", "3s" }, job.MarkCommand("0.4"));
        using var first = job.Start(args);
        using var second = job.Start(args);
        foreach (var worker in new[] { first, second })
        {
            worker.Input.Write(Job.Lines(items));
            worker.Input.Flush();
        }

        Assert.True(first.WaitUntil(() => job.Executions().Count >= 4, IncpsProcess.DefaultTimeout), first.Stderr + second.Stderr);

        var asked = job.Incps(string.Empty, "suspend", job.Name, "--store", _db.ConnectionString);
        var results = new[] { first.WaitForResult(IncpsProcess.DefaultTimeout), second.WaitForResult(IncpsProcess.DefaultTimeout) };

        Assert.True(asked.ExitCode == 0, asked.ToString());
        Assert.Contains("2 live worker(s)", asked.Stderr, StringComparison.Ordinal);
        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 4, result.ToString());
        }

        // Every item either worker started was finished and recorded: none is left in flight.
        var started = job.Executions();
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status >= 2"));
        Assert.Equal((long)started.Count, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        Assert.True(started.Count < items.Count, "the workers stopped before the end of their input");
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM incrementalps.workers WHERE outcome = 'suspended'"));

        // Status says Suspended until the job runs again.
        var status = job.Incps(string.Empty, "status", job.Name, "--store", _db.ConnectionString, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("\"state\":\"suspended\"", status.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var resumed = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep" }, job.MarkCommand()));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(items, job.Executions().OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal((long)items.Count, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [PosixFact]
    public void Suspending_a_shared_checkpoint_with_no_live_worker_exits_2_naming_it()
    {
        using var job = new Job("idle");
        var made = job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep" }, job.MarkCommand()));
        Assert.True(made.ExitCode == 0, made.ToString());

        var refused = job.Incps(string.Empty, "suspend", job.Name, "--store", _db.ConnectionString);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("'idle' has no live run", refused.Stderr, StringComparison.Ordinal);
        Assert.Null(_db.Scalar("SELECT suspend_requested_at FROM incrementalps.checkpoints WHERE name = 'idle'") as DateTime?);
    }

    [PosixFact]
    public void Status_watch_follows_a_shared_checkpoint_until_no_worker_is_live_then_prints_its_status()
    {
        using var job = new Job();
        var items = Job.Items(8);
        using var worker = job.Start(Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep", "--lease", "3s" }, job.MarkCommand("0.3")));
        worker.Input.Write(Job.Lines(items));
        worker.Input.Close();
        Assert.True(worker.WaitUntil(() => job.Executions().Count >= 1, IncpsProcess.DefaultTimeout), worker.Stderr);

        var watched = job.Incps(string.Empty, "status", job.Name, "--store", _db.ConnectionString, "--watch");

        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.True(worker.WaitForResult(IncpsProcess.DefaultTimeout).ExitCode == 0);
        Assert.Matches(@"Completed:\s+8\b", watched.Stdout);
        Assert.Contains("0 live", watched.Stdout, StringComparison.Ordinal);
    }
}
