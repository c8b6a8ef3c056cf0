using System;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class SuspendCommandTests
{
    [PosixFact]
    public void Suspend_from_another_process_records_the_items_in_flight_exits_4_and_the_same_command_resumes_to_completion()
    {
        using var job = new Job();
        var items = Job.Items(60);
        var command = job.MarkCommand("0.5");
        using (var run = job.Start(Job.RunArgs(job.Name, new[] { "-j", "3" }, command)))
        {
            // Standard input stays open: a suspended run must not wait for the end of its input.
            run.Input.Write(Job.Lines(items));
            run.Input.Flush();
            Assert.True(run.WaitUntil(() => job.Executions().Count >= 4, IncpsProcess.DefaultTimeout), run.Stderr);

            var asked = job.Incps(string.Empty, "suspend", job.Name);
            var suspended = run.WaitForResult(IncpsProcess.DefaultTimeout);

            Assert.True(asked.ExitCode == 0, asked.ToString());
            Assert.Contains("to suspend", asked.Stderr, StringComparison.Ordinal);
            Assert.True(suspended.ExitCode == 4, suspended.ToString());
            Assert.Contains("suspended on request", suspended.Stderr, StringComparison.Ordinal);
        }

        // Every item that started was finished and recorded: none is left in flight to run twice.
        var started = job.Executions();
        var status = CheckpointInspector.ReadStatus(job.Location);
        Assert.Equal(CheckpointState.Suspended, status.State);
        Assert.Equal(0, status.InFlight);
        Assert.Equal(started.Count, status.Completed);
        Assert.True(started.Count < items.Count, "the run stopped before the end of its input");
        Assert.False(System.IO.File.Exists(job.Location.SuspendPath));
        Assert.Contains("suspended", job.Incps(string.Empty, "status", job.Name).Stdout, StringComparison.Ordinal);

        var resumed = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, new[] { "-j", "3" }, command));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(items, job.Executions().OrderBy(i => i, StringComparer.Ordinal));
        Assert.False(job.Location.Exists);
    }

    [PosixFact]
    public void Suspend_with_no_live_run_exits_2_naming_the_checkpoint_and_changes_nothing()
    {
        using var job = new Job("idle");
        var made = job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.True(made.ExitCode == 0, made.ToString());

        var refused = job.Incps(string.Empty, "suspend", job.Name);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("'idle' has no live run", refused.Stderr, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(job.Location.SuspendPath));
        Assert.Equal(CheckpointState.Completed, CheckpointInspector.ReadStatus(job.Location).State);
    }

    [PosixFact]
    public void Status_watch_follows_a_run_in_another_process_to_its_end_and_prints_its_final_status()
    {
        using var job = new Job();
        var items = Job.Items(8);
        using var run = job.Start(Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand("0.3")));
        run.Input.Write(Job.Lines(items));
        run.Input.Close();
        Assert.True(run.WaitUntil(() => job.Executions().Count >= 1, IncpsProcess.DefaultTimeout), run.Stderr);

        var watched = job.Incps(string.Empty, "status", job.Name, "--watch", "--json");

        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.True(run.HasExited || run.WaitForResult(IncpsProcess.DefaultTimeout).ExitCode == 0);
        Assert.Contains("\"state\":\"completed\"", watched.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"completed\":8", watched.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        // Standard error is not a terminal here: the progress came as plain lines or not at all, never escape codes.
        Assert.DoesNotContain("\u001b[", watched.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void Status_watch_of_a_checkpoint_that_is_not_running_shows_its_status_at_once()
    {
        using var job = new Job();
        var made = job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.True(made.ExitCode == 0, made.ToString());

        var watched = job.Incps(string.Empty, "status", job.Name, "--watch");

        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Contains("completed", watched.Stdout, StringComparison.Ordinal);
    }
}
