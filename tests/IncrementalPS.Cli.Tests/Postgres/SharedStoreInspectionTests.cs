using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using IncrementalPS.Core.Tests.Support;
using Npgsql;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary><c>incps items</c>, <c>incps status --json</c> and the list of checkpoints, read from a real PostgreSQL server.</summary>
public sealed class SharedStoreInspectionTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [PosixFact]
    public void Items_lists_every_key_with_its_state_and_the_error_of_a_failed_one()
    {
        using var job = new Job();
        job.Incps("a\nb\n", Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep" }, job.MarkCommandFailingFor("b")));

        var all = job.Incps(string.Empty, "items", job.Name, "--store", _db.ConnectionString, "--json");
        var failed = job.Incps(string.Empty, "items", job.Name, "--store", _db.ConnectionString, "--state", "failed");

        Assert.True(all.ExitCode == 0, all.ToString());
        using var json = JsonDocument.Parse(all.Stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(new[] { "a", "b" }, items.Select(i => i.GetProperty("key").GetString()));
        Assert.Equal(new[] { "completed", "failed" }, items.Select(i => i.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("error").ValueKind);
        Assert.Equal("ExitCode", items[1].GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(1, items[1].GetProperty("attempts").GetInt32());
        Assert.True(failed.ExitCode == 0, failed.ToString());
        Assert.Matches(@"failed\s+1\s", failed.Stdout);
        Assert.DoesNotContain(" a\n", failed.Stdout, StringComparison.Ordinal);
    }

    [PosixFact]
    public void Items_of_a_missing_checkpoint_fail_with_exit_code_2_naming_it()
    {
        using var job = new Job();

        var items = job.Incps(string.Empty, "items", "nothing-here", "--store", _db.ConnectionString);

        Assert.Equal(2, items.ExitCode);
        Assert.Contains("nothing-here", items.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, items.Stdout);
    }

    [PosixFact]
    public void Status_json_has_the_file_store_shape_and_lists_each_live_worker()
    {
        using var job = new Job();
        using var worker = job.Start(Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--total", "5" }, job.MarkCommand()));
        worker.Input.Write("a\nb\n");
        worker.Input.Flush();
        Assert.True(worker.WaitUntil(() => job.Executions().Count >= 2 && Completed() == 2, IncpsProcess.DefaultTimeout), worker.Stderr);

        var status = job.Incps(string.Empty, "status", job.Name, "--store", _db.ConnectionString, "--json");
        worker.Input.Close();
        worker.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.Stdout);
        var root = json.RootElement;
        Assert.Equal(job.Name, root.GetProperty("name").GetString());
        Assert.Equal("running", root.GetProperty("state").GetString());
        Assert.Equal(2, root.GetProperty("completed").GetInt64());
        Assert.Equal(5, root.GetProperty("total").GetInt64());
        Assert.Equal(40.0, root.GetProperty("percentComplete").GetDouble());
        Assert.EndsWith("#" + job.Name, root.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("owner").ValueKind);
        var workers = root.GetProperty("workers").EnumerateArray().ToList();
        var only = Assert.Single(workers);
        Assert.Equal(worker.Id, only.GetProperty("processId").GetInt32());
        Assert.Equal(Environment.MachineName, only.GetProperty("hostName").GetString());
        Assert.Equal(2, only.GetProperty("done").GetInt64());
        Assert.StartsWith("incps ", only.GetProperty("writer").GetString(), StringComparison.Ordinal);
    }

    [PosixFact]
    public void Status_without_a_name_lists_every_checkpoint_of_the_store_named_by_the_environment()
    {
        using var job = new Job();
        var environment = new Dictionary<string, string> { ["INCREMENTALPS_STORE"] = _db.ConnectionString };
        foreach (var name in new[] { "zeta", "alpha" })
        {
            Run(job, environment, "a\n", "run", name, "--keep", "--", "true");
        }

        var list = Run(job, environment, string.Empty, "status", "--json");
        var table = Run(job, environment, string.Empty, "status");

        Assert.True(list.ExitCode == 0, list.ToString());
        using var json = JsonDocument.Parse(list.Stdout);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(new[] { "alpha", "zeta" }, rows.Select(r => r.GetProperty("name").GetString()));
        Assert.All(rows, r => Assert.Equal("completed", r.GetProperty("state").GetString()));
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("workers").GetArrayLength()));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"alpha\s+completed\s+1\s", table.Stdout);
    }

    [PosixFact]
    public void A_joining_worker_counts_the_items_other_workers_hold_as_held_not_unfinished()
    {
        using var job = new Job();
        // The holder's item takes long enough for the joining worker to start and finish beside it.
        using var holder = job.Start(Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString }, job.MarkCommand("5")));
        holder.Input.Write("b\n");
        holder.Input.Flush();
        Assert.True(holder.WaitUntil(() => job.Executions().Count >= 1, IncpsProcess.DefaultTimeout), holder.Stderr);

        var joining = job.Incps("x\n", Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep" }, job.MarkCommand("5")));
        holder.Input.Close();
        holder.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.Contains("0 unfinished (these run again), 1 held by other live workers.", joining.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void An_empty_store_lists_no_checkpoints()
    {
        using var job = new Job();

        var list = job.Incps(string.Empty, "status", "--store", _db.ConnectionString, "--json");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("[]", list.Stdout.Trim());
    }

    [PosixFact]
    public void The_password_appears_in_no_output_and_no_error()
    {
        // The test server trusts its user, so it never asks for this password; incps is still handed it.
        const string Password = "Sekr3t-pw-4711";
        var withPassword = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = Password }.ConnectionString;
        var unreachable = new NpgsqlConnectionStringBuilder(withPassword) { Host = "127.0.0.1", Port = 1, Timeout = 3 }.ConnectionString;
        var uri = $"postgres://{new NpgsqlConnectionStringBuilder(_db.ConnectionString).Username}:{Password}@127.0.0.1:1/x?Timeout=3";
        using var job = new Job();
        var results = new List<IncpsResult>
        {
            job.Incps("a\nb\n", Job.RunArgs(job.Name, new[] { "--store", withPassword, "--keep" }, job.MarkCommandFailingFor("b"))),
            job.Incps(string.Empty, "status", job.Name, "--store", withPassword),
            job.Incps(string.Empty, "status", job.Name, "--store", withPassword, "--json"),
            job.Incps(string.Empty, "status", "--store", withPassword, "--json"),
            job.Incps(string.Empty, "items", job.Name, "--store", withPassword, "--json"),
            job.Incps(string.Empty, "items", "missing", "--store", withPassword),
            job.Incps(string.Empty, "status", job.Name, "--store", unreachable),
            job.Incps(string.Empty, "items", job.Name, "--store", uri),
            job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--store", unreachable }, job.MarkCommand())),
            job.Incps(string.Empty, "reset", job.Name, "--store", unreachable, "--force"),
        };

        Assert.Equal(1, results[0].ExitCode);
        Assert.All(results.Skip(1).Take(4), r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(results.Skip(5), r => Assert.NotEqual(0, r.ExitCode));
        Assert.Contains("postgres://", results[6].Stderr, StringComparison.Ordinal);
        Assert.All(results, r => Assert.DoesNotContain(Password, r.Stdout + r.Stderr, StringComparison.Ordinal));
    }

    private static IncpsResult Run(Job job, IReadOnlyDictionary<string, string> environment, string input, params string[] args)
    {
        using var process = IncpsProcess.Start(job.Directory, job.Store, args, environment: environment);
        process.Input.Write(input);
        process.Input.Close();
        return process.WaitForResult(IncpsProcess.DefaultTimeout);
    }

    private long Completed() => (long)_db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0")!;
}
