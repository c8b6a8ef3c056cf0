using System;
using System.Collections.Generic;
using System.Linq;
using Npgsql;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>The PostgreSQL server goes away in the middle of a run, and comes back.</summary>
public sealed class ServerRestartTests
{
    [PosixFact]
    public void A_worker_whose_server_stops_fails_clearly_and_nothing_is_recorded_done_that_was_not_done()
    {
        using var server = new ThrowawayServer();
        using var job = new Job();
        var items = Job.Items(300);
        var args = Job.RunArgs(job.Name, new[] { "--store", server.ConnectionString, "--keep" }, job.MarkCommand("0.02"));
        using var worker = job.Start(args);
        worker.Input.Write(Job.Lines(items));
        worker.Input.Close();
        Assert.True(worker.WaitUntil(() => job.Executions().Count >= 30, IncpsProcess.DefaultTimeout), worker.Stderr);

        server.Stop();
        var stopped = worker.WaitForResult(IncpsProcess.DefaultTimeout);
        server.Start();

        Assert.True(stopped.ExitCode == 3, stopped.ToString());
        Assert.Contains("The PostgreSQL store of the checkpoint", stopped.Stderr, StringComparison.Ordinal);
        var executed = new HashSet<string>(job.Executions(), StringComparer.Ordinal);
        var recordedDone = CompletedKeys(server.ConnectionString);
        Assert.NotEmpty(recordedDone);
        Assert.All(recordedDone, key => Assert.Contains(key, executed));

        // Back up: the same command resumes and finishes the job.
        var resumed = job.Incps(Job.Lines(items), args);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(items.Count, CompletedKeys(server.ConnectionString).Count);
        Assert.Equal(items.OrderBy(i => i, StringComparer.Ordinal), job.Executions().Distinct().OrderBy(i => i, StringComparer.Ordinal));
    }

    private static List<string> CompletedKeys(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT key FROM incrementalps.items WHERE status = 0", connection);
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
