using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Metrics;

/// <summary>
/// The metrics file a run keeps for node_exporter's textfile collector: the checkpoint's counts from the moment the
/// checkpoint is open, replaced atomically, best effort, and its folder checked before the checkpoint is touched.
/// </summary>
public sealed class MetricsFileTests
{
    private const int SharingViolation = unchecked((int)0x80070020);

    [Fact]
    public void A_run_keeps_the_checkpoints_counts_in_the_metrics_file_and_promtool_accepts_it()
    {
        using var store = new TempStore();
        var location = store.Named("photos");
        var metrics = store.PathOf("photos.prom");
        Sessions.MakeKept(location, new[] { "a", "b", "c" });

        using (var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.Keep = true;
            o.MetricsFile = metrics;
            o.ProgressFileInterval = TimeSpan.FromHours(1);
        })))
        {
            // Written as soon as the checkpoint is open: the earlier run's items, this run live.
            var atStart = File.ReadAllText(metrics);
            Assert.Equal(string.Empty, Promtool.Check(atStart));
            Assert.Contains("incrementalps_items_completed{checkpoint=\"photos\"} 3\n", atStart, StringComparison.Ordinal);
            Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"photos\",state=\"running\"} 1\n", atStart, StringComparison.Ordinal);

            session.Complete("d");
            session.Fail("e");
            session.Finish();
        }

        var atEnd = File.ReadAllText(metrics);
        Assert.Equal(string.Empty, Promtool.Check(atEnd));
        Assert.Contains("incrementalps_items_completed{checkpoint=\"photos\"} 4\n", atEnd, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_failed{checkpoint=\"photos\"} 1\n", atEnd, StringComparison.Ordinal);
        Assert.Contains("incrementalps_input_items{checkpoint=\"photos\"} 2\n", atEnd, StringComparison.Ordinal);
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"photos\",state=\"failed\"} 1\n", atEnd, StringComparison.Ordinal);
        Assert.DoesNotContain("incrementalps_items_per_second", atEnd, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stopped_run_leaves_the_file_interrupted_with_its_unfinished_item_in_flight()
    {
        using var store = new TempStore();
        var location = store.Named("job");
        var metrics = store.PathOf("job.prom");

        using (var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.MetricsFile = metrics;
            o.ProgressFileInterval = TimeSpan.FromHours(1);
        })))
        {
            session.Complete("a");
            using var stop = new System.Threading.CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => session.Process("b", _ =>
            {
                stop.Cancel();
                stop.Token.ThrowIfCancellationRequested();
                return null;
            }, stop.Token));
        }

        var text = File.ReadAllText(metrics);
        Assert.Equal(string.Empty, Promtool.Check(text));
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"job\",state=\"interrupted\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_in_flight{checkpoint=\"job\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_completed{checkpoint=\"job\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_is_rewritten_on_the_progress_file_cadence_while_the_run_goes_on()
    {
        using var store = new TempStore();
        var location = store.Named("tick");
        var metrics = store.PathOf("tick.prom");

        using var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.MetricsFile = metrics;
            o.ProgressFileInterval = TimeSpan.FromMilliseconds(20);
        }));
        session.Complete("a");

        // Under load a tick may come late: wait for it, however long, rather than for a fixed time.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.ReadAllText(metrics).Contains("incrementalps_items_completed{checkpoint=\"tick\"} 1\n", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the metrics file was never rewritten by the timer");
            System.Threading.Thread.Sleep(20);
        }

        session.Finish();
    }

    [Fact]
    public void The_last_update_moves_when_the_checkpoint_changes_not_when_the_file_is_rewritten()
    {
        using var store = new TempStore();
        var path = store.PathOf("m.prom");
        var file = new MetricsFile(path);
        var t0 = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        RunProgress Progress(long seen) => new("m", seen, seen, 0, 0, null, false, 1, TimeSpan.FromSeconds(1), null, false, CheckpointState.Running);

        Assert.True(file.TryWrite(Progress(1), completed: 1, failed: 0, inFlight: 0, t0));
        Assert.True(file.TryWrite(Progress(1), completed: 1, failed: 0, inFlight: 0, t0.AddMinutes(5)));
        Assert.Contains($"incrementalps_last_update_timestamp_seconds{{checkpoint=\"m\"}} {t0.ToUnixTimeSeconds()}\n", File.ReadAllText(path), StringComparison.Ordinal);

        Assert.True(file.TryWrite(Progress(2), completed: 2, failed: 0, inFlight: 0, t0.AddMinutes(6)));
        Assert.Contains($"incrementalps_last_update_timestamp_seconds{{checkpoint=\"m\"}} {t0.AddMinutes(6).ToUnixTimeSeconds()}\n", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void The_temporary_file_is_one_the_textfile_collector_never_reads()
    {
        using var store = new TempStore();
        var path = store.PathOf("job.prom");

        var temp = Path.GetFileName(TempFileName.For(path));

        // node_exporter reads only names ending in .prom; this one also starts with a dot.
        Assert.False(temp.EndsWith(".prom", StringComparison.Ordinal), temp);
        Assert.StartsWith(".", temp, StringComparison.Ordinal);
        Sessions.RunAll(store.Named("job"), Sessions.Options(o => o.MetricsFile = path), new[] { "a" });
        Assert.Equal(new[] { path }, Directory.GetFiles(store.Directory, "*.prom"));
        Assert.Empty(Directory.GetFiles(store.Directory, ".job.prom.*"));
    }

    [Fact]
    public void A_metrics_file_held_by_a_reader_neither_stops_the_run_from_starting_nor_fails_its_end()
    {
        using var store = new TempStore();
        var location = store.Named();
        var metrics = store.PathOf("held.prom");
        File.WriteAllText(metrics, "# from the last run\n");

        RunSummary summary;
        AtomicFile.MoveOnThisThread = (source, target) =>
        {
            if (target == metrics)
            {
                throw new IOException("The process cannot access the file because it is being used by another process.", SharingViolation);
            }

            File.Move(source, target, overwrite: true);
        };
        try
        {
            // No tick during the test: the timer's thread does not see this thread's injected failure.
            using var session = CheckpointSession.Start(location, Sessions.Options(o =>
            {
                o.MetricsFile = metrics;
                o.ProgressFileInterval = TimeSpan.FromHours(1);
            }));
            session.Complete("a");
            summary = session.Finish();
        }
        finally
        {
            AtomicFile.MoveOnThisThread = null;
        }

        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.Equal("# from the last run\n", File.ReadAllText(metrics));
        Assert.Empty(Directory.GetFiles(store.Directory, ".held.prom.*"));
    }

    [Fact]
    public void A_metrics_file_in_a_folder_that_does_not_exist_is_refused_before_the_checkpoint_is_touched()
    {
        using var store = new TempStore();
        var location = store.Named();
        var folder = store.PathOf("no-such-folder");

        var ex = Assert.Throws<MetricsFileException>(() =>
            CheckpointSession.Start(location, Sessions.Options(o => o.MetricsFile = Path.Combine(folder, "job.prom"))));

        Assert.Equal("MetricsFile", ex.ParamName);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        Assert.False(location.Exists);
    }

    [Fact]
    public void A_metrics_file_path_that_is_a_folder_is_refused()
    {
        using var store = new TempStore();
        var location = store.Named();
        var folder = Directory.CreateDirectory(store.PathOf("textfile")).FullName;

        var ex = Assert.Throws<MetricsFileException>(() => CheckpointSession.Start(location, Sessions.Options(o => o.MetricsFile = folder)));

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
        Assert.False(location.Exists);
    }

    [Fact]
    public void A_run_that_cannot_start_leaves_the_last_metrics_file_as_it_was()
    {
        using var store = new TempStore();
        var metrics = store.PathOf("job.prom");
        File.WriteAllText(metrics, "# from the last run\n");
        var notACheckpoint = store.FileWith("notes.txt", System.Text.Encoding.UTF8.GetBytes("my notes\n"));

        Assert.ThrowsAny<CheckpointException>(() => CheckpointSession.Start(notACheckpoint, Sessions.Options(o => o.MetricsFile = metrics)));

        Assert.Equal("# from the last run\n", File.ReadAllText(metrics));
        Assert.Equal("my notes\n", File.ReadAllText(notACheckpoint.FilePath));
        Assert.Empty(Directory.GetFiles(store.Directory, ".job.prom.*"));
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_rewrite_keeps_the_files_mode()
    {
        using var store = new TempStore();
        var metrics = store.PathOf("job.prom");
        File.WriteAllText(metrics, "# made by the admin\n");
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(metrics, mode);

        Sessions.RunAll(store.Named("job"), Sessions.Options(o => o.MetricsFile = metrics), new[] { "a" });

        Assert.Contains("incrementalps_items_completed{checkpoint=\"job\"} 1\n", File.ReadAllText(metrics), StringComparison.Ordinal);
        Assert.Equal(mode, File.GetUnixFileMode(metrics));
    }
}
