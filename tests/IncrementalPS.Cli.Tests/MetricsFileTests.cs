using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary><c>incps run --metrics-file</c>: the Prometheus file node_exporter's textfile collector reads.</summary>
public sealed class MetricsFileTests
{
    [PosixFact]
    public void The_metrics_file_follows_the_run_and_ends_with_its_counts_in_a_format_promtool_accepts()
    {
        using var job = new Job("thumbs");
        var metrics = Path.Combine(job.Directory, "thumbs.prom");
        using var run = job.StartHolding("--keep", "--metrics-file", metrics);

        // Live: item "a" is done and the run waits for more input.
        Assert.True(
            run.WaitUntil(() => Read(metrics).Contains("incrementalps_items_completed{checkpoint=\"thumbs\"} 1\n", StringComparison.Ordinal), IncpsProcess.DefaultTimeout),
            run.Stderr);
        var live = Read(metrics);
        Assert.Equal(string.Empty, Promtool.Check(live));
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"thumbs\",state=\"running\"} 1\n", live, StringComparison.Ordinal);

        run.Input.Write("b\n");
        run.Input.Close();
        var result = run.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        var end = Read(metrics);
        Assert.Equal(string.Empty, Promtool.Check(end));
        Assert.Contains("incrementalps_items_completed{checkpoint=\"thumbs\"} 2\n", end, StringComparison.Ordinal);
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"thumbs\",state=\"completed\"} 1\n", end, StringComparison.Ordinal);
    }

    [PosixFact]
    public void Failed_items_show_in_the_metrics_file()
    {
        using var job = new Job("imports");
        var metrics = Path.Combine(job.Directory, "imports.prom");

        var result = job.Incps(Job.Lines(new[] { "a", "b", "c" }), Job.RunArgs(job.Name, new[] { "--metrics-file", metrics }, job.MarkCommandFailingFor("b")));

        Assert.True(result.ExitCode == 1, result.ToString());
        var text = Read(metrics);
        Assert.Equal(string.Empty, Promtool.Check(text));
        Assert.Contains("incrementalps_items_failed{checkpoint=\"imports\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_completed{checkpoint=\"imports\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"imports\",state=\"failed\"} 1\n", text, StringComparison.Ordinal);
    }

    [PosixFact]
    public void A_metrics_file_in_a_folder_that_does_not_exist_is_exit_2_before_anything_runs()
    {
        using var job = new Job();
        var folder = Path.Combine(job.Directory, "textfile");

        var result = job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--metrics-file", Path.Combine(folder, "job.prom") }, job.MarkCommand()));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("metrics file", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(job.Executions());
        Assert.False(job.Location.Exists);
        Assert.False(Directory.Exists(folder));
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;
}
