using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// <c>incps run --stop-exit-code n</c>: a command that exits n (a rate limit) stops the run for later: its item is not
/// failed and runs again next time, no new item starts, and incps exits 75 (EX_TEMPFAIL), not 1.
/// </summary>
public sealed class StopForLaterTests
{
    [PosixFact]
    public void A_command_exiting_with_the_stop_code_stops_the_run_for_later_and_the_next_run_picks_its_item_up()
    {
        using var job = new Job();
        var limited = Path.Combine(job.Directory, "rate-limited");
        File.WriteAllText(limited, string.Empty);
        var items = Job.Items(4);

        var first = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, new[] { "--stop-exit-code", "75" }, LimitedCommand(job, items[1], limited, "0")));

        Assert.True(first.ExitCode == 75, first.ToString());
        Assert.Contains("stopped for later", first.Stderr, StringComparison.Ordinal);
        Assert.Equal(items.Take(2), job.Executions());
        var status = CheckpointInspector.ReadStatus(job.Location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.Equal(1, status.Completed);
        Assert.Equal(0, status.Failed);
        Assert.Equal(1, status.InFlight);

        File.Delete(limited);
        var second = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, new[] { "--stop-exit-code", "75" }, LimitedCommand(job, items[1], limited, "0")));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(items.Take(2).Concat(items.Skip(1)), job.Executions());
        Assert.False(job.Location.Exists);
    }

    [PosixFact]
    public void With_jobs_no_new_item_starts_and_the_items_in_flight_finish_and_are_recorded()
    {
        using var job = new Job();
        var limited = Path.Combine(job.Directory, "rate-limited");
        File.WriteAllText(limited, string.Empty);
        var items = Job.Items(20);

        // The first item stops the run after half a second; the others take a second each.
        var result = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, new[] { "--jobs", "3", "--stop-exit-code", "75" }, LimitedCommand(job, items[0], limited, "1", stopAfter: "0.5")));

        Assert.True(result.ExitCode == 75, result.ToString());
        var executed = job.Executions();
        Assert.True(executed.Count < items.Count, string.Join(",", executed));
        var recorded = CheckpointInspector.ReadItems(job.Location).ToDictionary(i => i.Key, i => i.State);
        Assert.Equal(ItemState.InFlight, recorded[items[0]]);
        foreach (var key in executed.Where(k => k != items[0]))
        {
            // Not stopped half way: each ran to its end and was recorded.
            Assert.Equal(ItemState.Completed, recorded[key]);
        }

        Assert.Equal(executed.Count, recorded.Count);
    }

    [PosixFact]
    public void Without_the_option_the_same_exit_code_is_an_ordinary_failure()
    {
        using var job = new Job();
        var limited = Path.Combine(job.Directory, "rate-limited");
        File.WriteAllText(limited, string.Empty);
        var items = Job.Items(3);

        var result = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, Array.Empty<string>(), LimitedCommand(job, items[1], limited, "0")));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(1, CheckpointInspector.ReadStatus(job.Location).Failed);
    }

    [PosixFact]
    public void A_stop_exit_code_of_0_is_refused_before_anything_runs()
    {
        using var job = new Job();

        var result = job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--stop-exit-code", "0" }, job.MarkCommand()));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--stop-exit-code", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(job.Executions());
        Assert.False(job.Location.Exists);
    }

    /// <summary>Marks the item, then sleeps; the <paramref name="limitedItem"/> exits 75 while <paramref name="flag"/> exists.</summary>
    private static string[] LimitedCommand(Job job, string limitedItem, string flag, string sleep, string stopAfter = "0") =>
        new[]
        {
            "/bin/sh", "-c",
            "echo \"$1\" >> \"$2\"; if [ \"$1\" = \"$3\" ] && [ -e \"$4\" ]; then sleep $6; exit 75; fi; sleep $5",
            "sh", "{}", job.Marker, limitedItem, flag, sleep, stopAfter,
        };
}
