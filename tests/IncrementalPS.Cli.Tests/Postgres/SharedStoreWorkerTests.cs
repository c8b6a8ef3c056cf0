using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace IncrementalPS.Cli.Tests;

/// <summary>Several incps processes share one checkpoint in a real PostgreSQL server, and some are killed with SIGKILL.</summary>
public sealed class SharedStoreWorkerTests : IDisposable
{
    private const int Workers = 3;
    private const int Kills = 6;
    private readonly TestDatabase _db = new();
    private readonly ITestOutputHelper _output;

    public SharedStoreWorkerTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _db.Dispose();

    [PosixFact]
    public void Three_workers_killed_at_random_complete_every_item_and_rerun_at_most_the_items_killed_in_flight()
    {
        using var job = new Job();
        var items = Job.Items(2000);
        var input = Job.Lines(items);
        // A short lease, so that the items of killed workers are taken over within the test.
        var args = Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep", "--lease", "2s" }, job.MarkCommand());
        var random = new Random(Environment.TickCount);
        var running = new List<IncpsProcess>();
        var finished = new List<IncpsResult>();

        IncpsProcess StartWorker()
        {
            var worker = job.Start(args);
            worker.Input.Write(input);
            worker.Input.Close();
            return worker;
        }

        for (var i = 0; i < Workers; i++)
        {
            running.Add(StartWorker());
        }

        var kills = 0;
        while (kills < Kills)
        {
            Thread.Sleep(random.Next(300, 1500));
            var victim = running[random.Next(running.Count)];
            if (victim.HasExited)
            {
                break;
            }

            victim.KillHard();
            running.Remove(victim);
            victim.Dispose();
            kills++;

            // A machine that dies is replaced by one that starts over on the same input.
            running.Add(StartWorker());
        }

        foreach (var worker in running)
        {
            finished.Add(worker.WaitForResult(IncpsProcess.DefaultTimeout));
            worker.Dispose();
        }

        var executions = job.Executions();
        _output.WriteLine($"{kills} kills, {executions.Count} executions of {items.Count} items, {_db.Scalar("SELECT count(*) FROM incrementalps.items WHERE attempts > 1")} items taken over");
        foreach (var result in finished)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        Assert.Equal(items.OrderBy(i => i, StringComparer.Ordinal), executions.Distinct().OrderBy(i => i, StringComparer.Ordinal));
        // One item at a time per worker (--jobs 1): a kill leaves at most one item half done, which runs again.
        Assert.True(executions.Count - items.Count <= kills, $"{executions.Count - items.Count} items ran twice after {kills} kills");
        Assert.Equal(2000L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [PosixFact]
    public void Status_shows_counts_and_the_live_workers_from_another_process()
    {
        using var job = new Job();
        var args = Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString }, job.MarkCommand("0.05"));
        using var worker = job.Start(args);
        worker.Input.Write(Job.Lines(Job.Items(2)));
        worker.Input.Flush();
        Assert.True(worker.WaitUntil(() => job.Executions().Count >= 2, IncpsProcess.DefaultTimeout), worker.Stderr);
        // Its input is still open: the worker is live, waiting for more.

        var status = job.Incps(string.Empty, "status", job.Name, "--store", _db.ConnectionString);
        worker.Input.Close();
        worker.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches(@"Completed:\s+[12]\b", status.Stdout);
        Assert.Matches(@"Workers:\s+1 live", status.Stdout);
        Assert.Contains(Environment.MachineName, status.Stdout, StringComparison.Ordinal);
        Assert.Contains(worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", status.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [PosixFact]
    public void Reset_is_refused_while_a_worker_is_live_unless_forced()
    {
        using var job = new Job();
        var args = Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString }, job.MarkCommand());
        using var worker = job.Start(args);
        worker.Input.Write("a\n");
        worker.Input.Flush();
        Assert.True(worker.WaitUntil(() => job.Executions().Count >= 1 && CheckpointRows() == 1L, IncpsProcess.DefaultTimeout), worker.Stderr);

        var refused = job.Incps(string.Empty, "reset", job.Name, "--store", _db.ConnectionString);
        var stillThere = CheckpointRows();
        var forced = job.Incps(string.Empty, "reset", job.Name, "--store", _db.ConnectionString, "--force");
        worker.Input.Close();
        worker.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("1 live worker(s)", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, stillThere);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(0L, CheckpointRows());
    }

    [PosixFact]
    public void Reset_failed_makes_the_failed_items_run_again()
    {
        using var job = new Job();
        var failing = Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString }, job.MarkCommandFailingFor("b"));
        var first = job.Incps("a\nb\n", failing);
        var reset = job.Incps(string.Empty, "reset", job.Name, "--store", _db.ConnectionString, "--failed");
        var again = job.Incps("a\nb\n", Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString }, job.MarkCommand()));

        Assert.Equal(1, first.ExitCode);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Contains("forgot 1 failed item(s)", reset.Stderr, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(new[] { "a", "b", "b" }, job.Executions());
    }

    private long CheckpointRows() => (long)_db.Scalar("SELECT count(*) FROM incrementalps.checkpoints")!;
}
