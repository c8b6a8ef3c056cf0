using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class LockTests
{
    [PosixFact]
    public void A_second_run_on_a_held_checkpoint_exits_2_at_once_naming_the_holder()
    {
        using var job = new Job();
        using var first = job.StartHolding();

        var second = job.Incps("b\n", Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand()));

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.False(first.HasExited, "the second run must not wait for the first to finish");
        Assert.Contains($"process {first.Id}", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(new[] { "a" }, job.Executions());

        first.Input.Close();
        var firstResult = first.WaitForResult(IncpsProcess.DefaultTimeout);
        Assert.True(firstResult.ExitCode == 0, firstResult.ToString());
    }

    [PosixFact]
    public void Reset_is_refused_while_a_run_holds_the_checkpoint()
    {
        using var job = new Job();
        using var run = job.StartHolding("--keep");

        var reset = job.Incps(string.Empty, "reset", job.Name, "--force");

        Assert.True(reset.ExitCode == 2, reset.ToString());
        Assert.Contains($"process {run.Id}", reset.Stderr, StringComparison.Ordinal);
        run.Input.Close();
        Assert.Equal(0, run.WaitForResult(IncpsProcess.DefaultTimeout).ExitCode);
        Assert.True(job.Location.Exists);
    }
}
