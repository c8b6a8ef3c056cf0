using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IncrementalPS.Core;
using Xunit;
using Xunit.Abstractions;

namespace IncrementalPS.Cli.Tests;

public sealed class CrashResumeTests
{
    private const int Kills = 22;
    private readonly ITestOutputHelper _output;

    public CrashResumeTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [PosixFact]
    public void Killed_with_SIGKILL_again_and_again_every_item_runs_and_each_kill_reruns_at_most_one_item()
    {
        using var job = new Job();
        var items = Job.Items(200);
        var input = Job.Lines(items);
        var args = Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand("0.03"));
        var random = new Random(Environment.TickCount);
        // Where each run's executions begin in the marker file.
        var segmentStarts = new List<int>();
        IncpsResult? final = null;

        for (var run = 0; final is null; run++)
        {
            segmentStarts.Add(job.Executions().Count);
            using var incps = job.Start(args);
            incps.Input.Write(input);
            incps.Input.Close();
            if (run >= Kills)
            {
                final = incps.WaitForResult(IncpsProcess.DefaultTimeout);
                break;
            }

            // Kill once this run is really working: its second item has started, so its first was recorded.
            // Otherwise the same item could be in flight at several kills in a row and be given up on (poisoned).
            var started = segmentStarts[^1];
            var working = incps.WaitUntil(() => job.Executions().Count >= started + 2, IncpsProcess.DefaultTimeout);
            Assert.True(working || incps.HasExited, "incps neither worked nor exited:\n" + incps.Stderr);
            if (working)
            {
                Thread.Sleep(random.Next(0, 200));
            }

            if (incps.HasExited)
            {
                final = incps.WaitForResult(IncpsProcess.DefaultTimeout);
                break;
            }

            incps.KillHard();
            // Let a command orphaned by the kill finish its write before the next run is counted.
            Thread.Sleep(50);
        }

        var kills = segmentStarts.Count - 1;
        _output.WriteLine($"{kills} kills, {job.Executions().Count} executions of {items.Count} items");
        Assert.True(final.ExitCode == 0, final.ToString());
        Assert.True(kills >= 20, $"only {kills} kills landed before the job finished; make the job longer");
        var executions = job.Executions();
        Assert.Equal(items.OrderBy(i => i, StringComparer.Ordinal), executions.Distinct().OrderBy(i => i, StringComparer.Ordinal));
        Assert.False(job.Location.Exists);

        for (var run = 1; run < segmentStarts.Count; run++)
        {
            var end = run + 1 < segmentStarts.Count ? segmentStarts[run + 1] : executions.Count;
            var seen = new HashSet<string>(executions.Take(segmentStarts[run]), StringComparer.Ordinal);
            var reruns = executions.Skip(segmentStarts[run]).Take(end - segmentStarts[run]).Count(item => !seen.Add(item));
            Assert.True(reruns <= 1, $"run {run} re-ran {reruns} items after one kill");
        }
    }

    [PosixFact]
    public void Killed_with_SIGKILL_while_waiting_to_retry_the_item_runs_again_on_resume_instead_of_being_failed()
    {
        using var job = new Job();
        var args = Job.RunArgs(job.Name, new[] { "--max-attempts", "3", "--retry-delay", "20s" }, job.MarkCommandFailingFor("a"));
        using (var incps = job.Start(args))
        {
            incps.Input.Write("a\nb\n");
            incps.Input.Close();
            var waiting = incps.WaitUntil(() => incps.Stderr.Contains("incps: retrying a in", StringComparison.Ordinal), IncpsProcess.DefaultTimeout);
            Assert.True(waiting, "incps never waited to retry:\n" + incps.Stderr);
            incps.KillHard();
        }

        var inFlight = Assert.Single(CheckpointInspector.ReadItems(job.Location, ItemState.InFlight));
        Assert.Equal("a", inFlight.Key);
        Assert.Equal(1, inFlight.Attempts);
        Assert.Empty(CheckpointInspector.ReadItems(job.Location, ItemState.Failed));

        var resume = job.Incps("a\nb\n", Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand()));

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.DoesNotContain("failed item(s) are skipped", resume.Stderr, StringComparison.Ordinal);
        Assert.Equal(new[] { "a", "a", "b" }, job.Executions());
    }
}
