using System;
using System.Linq;
using System.Text.Json;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>incps and the cmdlets share checkpoints: each reads, resumes and resets what the other wrote.</summary>
public sealed class InteropTests
{
    [PosixFact]
    public void A_checkpoint_written_by_incps_reads_correctly_through_the_engine_api_the_cmdlets_use()
    {
        using var job = new Job();

        var result = job.Incps(Job.Lines(Job.Items(5)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommandFailingFor("item-004")));
        Assert.True(result.ExitCode == 1, result.ToString());

        var status = CheckpointInspector.ReadStatus(job.Location);
        Assert.Equal(job.Name, status.Name);
        Assert.Equal(CheckpointState.Failed, status.State);
        Assert.Equal(4, status.Completed);
        Assert.Equal(1, status.Failed);
        Assert.Equal(0, status.InFlight);
        Assert.Null(status.Owner);
        var items = CheckpointInspector.ReadItems(job.Location);
        Assert.Equal(Job.Items(5).OrderBy(k => k, StringComparer.Ordinal), items.Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
        var failed = Assert.Single(items, i => i.State == ItemState.Failed);
        Assert.Equal("item-004", failed.Key);
        Assert.Equal("exit code 3: cannot handle item-004", failed.Error?.Message);
    }

    [PosixFact]
    public void A_checkpoint_written_through_the_engine_api_is_read_resumed_and_reset_by_incps()
    {
        using var job = new Job();
        using (var session = CheckpointSession.Start(job.Location, new RunOptions { Writer = "IncrementalPS test" }))
        {
            session.Process("item-001", _ => null);
            session.Process("item-002", _ => throw new InvalidOperationException("boom"));
            session.Process("item-003", _ => null);
            // Disposed without Finish: the run was interrupted, as by Ctrl+C in PowerShell.
        }

        var status = job.Incps(string.Empty, "status", job.Name, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            var root = json.RootElement;
            Assert.Equal(job.Name, root.GetProperty("name").GetString());
            Assert.Equal(job.Location.FilePath, root.GetProperty("path").GetString());
            Assert.Equal("interrupted", root.GetProperty("state").GetString());
            Assert.Equal(2, root.GetProperty("completed").GetInt64());
            Assert.Equal(1, root.GetProperty("failed").GetInt64());
        }

        var items = job.Incps(string.Empty, "items", job.Name, "--json");
        Assert.True(items.ExitCode == 0, items.ToString());
        using (var json = JsonDocument.Parse(items.Stdout))
        {
            var byKey = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("key").GetString()!, e => e);
            Assert.Equal(new[] { "item-001", "item-002", "item-003" }, byKey.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("failed", byKey["item-002"].GetProperty("state").GetString());
            Assert.Equal("boom", byKey["item-002"].GetProperty("error").GetProperty("message").GetString());
            Assert.Equal(typeof(InvalidOperationException).FullName, byKey["item-002"].GetProperty("error").GetProperty("type").GetString());
        }

        var reset = job.Incps(string.Empty, "reset", job.Name, "--failed");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Empty(CheckpointInspector.ReadItems(job.Location, ItemState.Failed));

        var resumed = job.Incps(Job.Lines(Job.Items(4)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(new[] { "item-002", "item-004" }, job.Executions());
        Assert.Equal(4, CheckpointInspector.ReadStatus(job.Location).Completed);
    }

    [PosixFact]
    public void A_checkpoint_interrupted_by_incps_is_resumed_through_the_engine_api()
    {
        using var job = new Job();
        using (var run = job.Start(Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand())))
        {
            run.Input.Write("a\nb\n");
            run.Input.Flush();
            Assert.True(run.WaitUntil(() => job.Executions().Count == 2 && CheckpointInspector.ReadStatus(job.Location).Completed == 2, IncpsProcess.DefaultTimeout), run.Stderr);
            run.KillHard();
        }

        using var session = CheckpointSession.Start(job.Location, new RunOptions { Writer = "IncrementalPS test" });
        var ran = new[] { "a", "b", "c" }.Where(key => !session.Process(key, _ => null).WasSkipped).ToList();
        var summary = session.Finish();

        Assert.Equal(new[] { "c" }, ran);
        Assert.Equal(CheckpointState.Completed, summary.State);
    }
}
