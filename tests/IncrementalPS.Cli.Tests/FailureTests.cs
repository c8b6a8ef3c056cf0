using System;
using System.Linq;
using System.Text.Json;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class FailureTests
{
    [PosixFact]
    public void Failed_items_exit_1_keep_the_checkpoint_and_record_the_exit_code_and_stderr()
    {
        using var job = new Job();

        var result = job.Incps(Job.Lines(Job.Items(4)), Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommandFailingFor("item-002")));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.True(job.Location.Exists);
        var failed = Assert.Single(CheckpointInspector.ReadItems(job.Location, ItemState.Failed));
        Assert.Equal("item-002", failed.Key);
        Assert.Equal("ExitCode", failed.Error?.Type);
        Assert.Equal("3", failed.Error?.Category);
        Assert.Equal("exit code 3: cannot handle item-002", failed.Error?.Message);
        Assert.Contains("incps items job --state failed", result.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void A_rerun_skips_failed_items_and_exits_1_until_they_are_retried()
    {
        using var job = new Job();
        var items = Job.Lines(Job.Items(3));
        job.Incps(items, Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommandFailingFor("item-003")));

        var skipping = job.Incps(items, Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand()));
        Assert.True(skipping.ExitCode == 1, skipping.ToString());
        Assert.Equal(3, job.Executions().Count);

        var retrying = job.Incps(items, Job.RunArgs(job.Name, new[] { "--retry-failed" }, job.MarkCommand()));
        Assert.True(retrying.ExitCode == 0, retrying.ToString());
        Assert.Equal(new[] { "item-001", "item-002", "item-003", "item-003" }, job.Executions());
        Assert.False(job.Location.Exists);
    }

    [PosixFact]
    public void Max_attempts_retries_a_failing_command_within_the_run()
    {
        using var job = new Job();

        var result = job.Incps("x\n", Job.RunArgs(job.Name, new[] { "--max-attempts", "3", "--retry-delay", "10ms" }, job.MarkCommandFailingFor("x")));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(new[] { "x", "x", "x" }, job.Executions());
        Assert.Equal(2, result.Stderr.Split('\n').Count(l => l.StartsWith("incps: retrying x", StringComparison.Ordinal)));
    }

    [PosixFact]
    public void Items_json_shows_the_failure_in_the_documented_shape()
    {
        using var job = new Job();
        job.Incps("ok\nbad\n", Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommandFailingFor("bad")));

        var result = job.Incps(string.Empty, "items", job.Name, "--state", "failed", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var item = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("bad", item.GetProperty("key").GetString());
        Assert.Equal("failed", item.GetProperty("state").GetString());
        Assert.Equal(1, item.GetProperty("attempts").GetInt32());
        Assert.Equal("ExitCode", item.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("3", item.GetProperty("error").GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("completedAt").ValueKind);
    }

    [PosixFact]
    public void A_rerun_counts_the_items_it_skips_because_they_failed_apart_from_those_done()
    {
        // Both used to be "skipped (done before)".
        using var job = new Job();
        var args = Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommandFailingFor("b"));
        job.Incps("a\nb\n", args);

        var rerun = job.Incps("a\nb\n", args);

        Assert.Contains("1 skipped (done before), 1 skipped (failed before)", rerun.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void Items_and_failure_lines_show_control_characters_in_a_key_as_escapes_not_raw()
    {
        // Raw, a NUL showed as a space (the key looked like "x y") and an escape character would drive the terminal.
        using var job = new Job();
        var run = job.Incps("x\0y\nesc\u001b[31m\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));

        var items = job.Incps(string.Empty, "items", job.Name);

        Assert.Contains("failed: x\\0y:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("x\\0y", items.Stdout, StringComparison.Ordinal);
        Assert.Contains("esc\\u001b[31m", items.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', items.Stdout);
        Assert.DoesNotContain('\0', items.Stdout);
    }
}
