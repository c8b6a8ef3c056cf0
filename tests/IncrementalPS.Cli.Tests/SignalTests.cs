using System;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class SignalTests
{
    [PosixTheory]
    [InlineData(PosixSignals.SigInt)]
    [InlineData(PosixSignals.SigTerm)]
    [InlineData(PosixSignals.SigHup)]
    public void A_signal_exits_130_leaves_the_checkpoint_interrupted_and_a_resume_completes_it(int signal)
    {
        using var job = new Job();
        var items = Job.Items(6);
        using (var run = job.Start(Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand("0.3"))))
        {
            // Standard input stays open: stopping must not wait for the end of the input either.
            run.Input.Write(Job.Lines(items));
            run.Input.Flush();
            Assert.True(run.WaitUntil(() => job.Executions().Count >= 2, IncpsProcess.DefaultTimeout), run.Stderr);

            PosixSignals.Send(run.Id, signal);
            var stopped = run.WaitForResult(IncpsProcess.DefaultTimeout);

            Assert.True(stopped.ExitCode == 130, stopped.ToString());
            Assert.Contains("Run the same command again to resume", stopped.Stderr, StringComparison.Ordinal);
        }

        var status = CheckpointInspector.ReadStatus(job.Location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.True(status.Completed < items.Count);

        var resumed = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand()));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(items, job.Executions().Distinct());
        Assert.True(job.Executions().Count <= items.Count + 1, "only the item stopped in flight may run twice");
        Assert.False(job.Location.Exists);
    }

    [PosixFact]
    public void The_same_signal_sent_to_the_process_and_its_group_still_stops_cleanly()
    {
        using var job = new Job();
        var items = Job.Items(6);
        using var run = job.Start(Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand("0.3")));
        run.Input.Write(Job.Lines(items));
        run.Input.Flush();
        Assert.True(run.WaitUntil(() => job.Executions().Count >= 2, IncpsProcess.DefaultTimeout), run.Stderr);

        // timeout(1) and kill -- -pgid deliver one request twice within microseconds: not a second, impatient signal.
        PosixSignals.Send(run.Id, PosixSignals.SigTerm);
        PosixSignals.Send(run.Id, PosixSignals.SigTerm);
        var stopped = run.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.Contains("Run the same command again to resume", stopped.Stderr, StringComparison.Ordinal);
        Assert.Equal(CheckpointState.Interrupted, CheckpointInspector.ReadStatus(job.Location).State);
    }
}
