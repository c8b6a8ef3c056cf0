using System;
using System.IO;
using System.Linq;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>Stop for later and the metrics file with a PostgreSQL store: the same behaviour as the file store.</summary>
public sealed class StopForLaterPostgresTests
{
    [PosixFact]
    public void A_worker_stopped_for_later_leaves_its_item_to_the_next_run_and_its_metrics_file_shows_the_store()
    {
        using var server = new ThrowawayServer();
        using var job = new Job();
        var limited = Path.Combine(job.Directory, "rate-limited");
        File.WriteAllText(limited, string.Empty);
        var metrics = Path.Combine(job.Directory, "job.prom");
        var items = Job.Items(5);
        var command = new[]
        {
            "/bin/sh", "-c", "echo \"$1\" >> \"$2\"; if [ \"$1\" = \"$3\" ] && [ -e \"$4\" ]; then exit 75; fi",
            "sh", "{}", job.Marker, items[2], limited,
        };
        var args = Job.RunArgs(job.Name, new[] { "--store", server.ConnectionString, "--stop-exit-code", "75", "--metrics-file", metrics }, command);

        var first = job.Incps(Job.Lines(items), args);

        Assert.True(first.ExitCode == 75, first.ToString());
        Assert.Equal(items.Take(3), job.Executions());
        var text = File.ReadAllText(metrics);
        Assert.Contains("incrementalps_items_completed{checkpoint=\"job\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_in_flight{checkpoint=\"job\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_failed{checkpoint=\"job\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"job\",state=\"interrupted\"} 1\n", text, StringComparison.Ordinal);

        File.Delete(limited);
        var second = job.Incps(Job.Lines(items), args);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(items.Take(3).Concat(items.Skip(2)), job.Executions());
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"job\",state=\"completed\"} 1\n", File.ReadAllText(metrics), StringComparison.Ordinal);
    }
}
