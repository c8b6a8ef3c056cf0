using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>incps run --timeout: a command still running is killed with everything it started, and its item failed.</summary>
public sealed class TimeoutTests
{
    [PosixFact]
    public void A_command_past_the_timeout_is_killed_with_its_children_and_its_item_recorded_failed_while_the_others_complete()
    {
        using var job = new Job();
        var pidFile = Path.Combine(job.Directory, "sleeper.pid");

        // 'slow' starts a grandchild that would sleep ten minutes and waits for it; 'fast' is done at once.
        var result = job.Incps(
            "slow\nfast\n",
            "run", job.Name, "--keep", "--jobs", "2", "--timeout", "1s", "--",
            "sh", "-c", $"if [ \"$1\" = slow ]; then sleep 600 & echo $! > '{pidFile}'; wait; fi; echo done $1", "sh", "{}");

        Assert.True(result.ExitCode == ExitCodes.ItemsFailed, result.ToString());
        Assert.Equal("done fast\n", result.Stdout);
        Assert.Contains("timed out", result.Stderr, StringComparison.Ordinal);
        var items = CheckpointInspector.ReadItems(job.Location);
        var slow = items.Single(i => i.Key == "slow");
        Assert.Equal(ItemState.Failed, slow.State);
        Assert.Equal("Timeout", slow.Error!.Type);
        Assert.Equal("OperationTimeout", slow.Error.Category);
        Assert.Equal(ItemState.Completed, items.Single(i => i.Key == "fast").State);
        Assert.False(IsRunning(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)), "the command's child survived the timeout");
    }

    [PosixFact]
    public void A_timed_out_item_is_retried_like_any_failure()
    {
        using var job = new Job();

        var result = job.Incps(
            "a\n",
            "run", job.Name, "--keep", "--timeout", "200ms", "--max-attempts", "2", "--retry-delay", "0", "--", "sleep", "600");

        Assert.True(result.ExitCode == ExitCodes.ItemsFailed, result.ToString());
        var item = Assert.Single(CheckpointInspector.ReadItems(job.Location));
        Assert.Equal(ItemState.Failed, item.State);
        Assert.Equal(2, item.Attempts);
    }

    [PosixFact]
    public void A_timeout_of_zero_is_refused_before_anything_runs()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--timeout", "0", "--", "echo");

        Assert.Equal(ExitCodes.CouldNotRun, result.ExitCode);
        Assert.False(job.Location.Exists);
    }

    [PosixFact]
    public void A_timeout_longer_than_a_timer_can_wait_is_refused_before_anything_runs()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--timeout", "100000h", "--", "echo");

        Assert.Equal(ExitCodes.CouldNotRun, result.ExitCode);
        Assert.False(job.Location.Exists);
    }

    [Theory]
    [InlineData(1.5, "after 1.5s ")]
    [InlineData(0.25, "after 250ms ")]
    [InlineData(90, "after 1m 30s ")]
    public void The_timeout_message_says_the_timeout_as_it_was_given(double seconds, string expected)
    {
        var exception = new CommandTimedOutException(TimeSpan.FromSeconds(seconds));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    private static bool IsRunning(int pid)
    {
        // A zombie (killed, not yet reaped by its new parent) is not running.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
