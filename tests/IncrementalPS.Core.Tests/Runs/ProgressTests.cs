using System;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

public sealed class ProgressTests
{
    [Fact]
    public void Progress_counts_seen_completed_skipped_failed_and_remaining()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["done1", "done2"]);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 10));
        session.Complete("done1");
        session.Complete("done2");
        session.Complete("new1");
        session.Fail("new2");
        session.Process("slow", _ => { Thread.Sleep(150); return null; });

        var progress = session.GetProgress();

        Assert.Equal(location.Name, progress.Name);
        Assert.Equal(5, progress.Seen);
        Assert.Equal(2, progress.Completed);
        Assert.Equal(1, progress.Failed);
        Assert.Equal(2, progress.Skipped);
        Assert.Equal(3, progress.Processed);
        Assert.Equal(10, progress.Total);
        Assert.False(progress.TotalIsEstimate);
        Assert.Equal(5, progress.Remaining);
        Assert.Equal(50.0, progress.PercentComplete);
        Assert.Equal("slow", progress.CurrentKey);
        Assert.False(progress.IsFinal);
        Assert.Equal(CheckpointState.Running, progress.State);
        Assert.True(progress.Elapsed >= TimeSpan.FromMilliseconds(150));
        Assert.True(progress.Rate > 0, $"rate {progress.Rate}");
        Assert.NotNull(progress.Eta);
        Assert.True(progress.Eta > TimeSpan.Zero);
    }

    [Fact]
    public void Without_a_total_there_is_no_remaining_count_percentage_or_eta()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options());
        session.Complete("a");

        var progress = session.GetProgress();

        Assert.Null(progress.Total);
        Assert.Null(progress.Remaining);
        Assert.Null(progress.PercentComplete);
        Assert.Null(progress.Eta);
    }

    [Fact]
    public void Notifications_are_throttled_and_a_final_one_is_always_sent()
    {
        using var store = new TempStore();
        var progress = new RecordingProgress();
        var options = Sessions.Options(o => o.ProgressInterval = TimeSpan.FromHours(1));

        using (var session = CheckpointSession.Start(store.Named(), options, progress))
        {
            foreach (var key in Sessions.Keys("k", 200))
            {
                session.Complete(key);
            }

            session.Finish();
        }

        var reports = progress.Reports;
        Assert.True(reports.Count <= 3, $"{reports.Count} notifications within one interval");
        var final = Assert.Single(reports, r => r.IsFinal);
        Assert.Same(final, reports[^1]);
        Assert.Equal(200, final.Seen);
        Assert.Equal(200, final.Completed);
        Assert.Equal(CheckpointState.Completed, final.State);
    }

    [Fact]
    public void With_a_short_interval_notifications_follow_the_run()
    {
        using var store = new TempStore();
        var progress = new RecordingProgress();
        var options = Sessions.Options(o => o.ProgressInterval = TimeSpan.Zero);

        using (var session = CheckpointSession.Start(store.Named(), options, progress))
        {
            foreach (var key in Sessions.Keys("k", 20))
            {
                session.Process(key, _ => { Thread.Sleep(2); return null; });
            }

            session.Finish();
        }

        var reports = progress.Reports;
        Assert.True(reports.Count >= 10, $"only {reports.Count} notifications");
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Seen <= p.Second.Seen), "seen went backwards");
        Assert.True(reports[^1].IsFinal);
    }

    [Fact]
    public void Disposing_without_finishing_sends_a_final_interrupted_notification()
    {
        using var store = new TempStore();
        var progress = new RecordingProgress();

        using (var session = CheckpointSession.Start(store.Named(), Sessions.Options(), progress))
        {
            session.Complete("a");
        }

        var final = progress.Reports[^1];
        Assert.True(final.IsFinal);
        Assert.Equal(CheckpointState.Interrupted, final.State);
        Assert.Single(progress.Reports, r => r.IsFinal);
    }

    [Fact]
    public void Without_a_given_total_the_previous_runs_total_is_used_as_an_estimate()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var first = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 10)))
        {
            first.Complete("a");
            first.Complete("b");
        }

        using var second = CheckpointSession.Start(location, Sessions.Options());
        second.Complete("a");

        Assert.Equal(10, second.Resume.EstimatedTotal);
        var progress = second.GetProgress();
        Assert.Equal(10, progress.Total);
        Assert.True(progress.TotalIsEstimate);
        Assert.Equal(9, progress.Remaining);
    }

    [Fact]
    public void A_given_total_is_not_an_estimate()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var first = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 10)))
        {
            first.Complete("a");
        }

        using var second = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 12));

        Assert.Null(second.Resume.EstimatedTotal);
        Assert.Equal(12, second.GetProgress().Total);
        Assert.False(second.GetProgress().TotalIsEstimate);
    }

    [Fact]
    public void An_estimated_total_the_input_outgrows_becomes_unknown()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var first = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 2)))
        {
            first.Complete("a");
        }

        using var second = CheckpointSession.Start(location, Sessions.Options());
        second.Complete("a");
        second.Complete("b");
        Assert.Equal(2, second.GetProgress().Total);

        second.Complete("c");
        var progress = second.GetProgress();
        Assert.Null(progress.Total);
        Assert.False(progress.TotalIsEstimate);
        Assert.Null(progress.PercentComplete);
        Assert.Null(progress.Eta);
    }

    [Fact]
    public void A_progress_file_that_cannot_be_written_at_the_end_does_not_fail_a_complete_run()
    {
        using var store = new TempStore();
        var location = store.Named();
        var progressFile = store.PathOf("progress.txt");
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.ProgressFile = progressFile));
        session.Complete("a");

        // Something replaces the progress file with a directory while the run goes on: it is only for people watching.
        System.IO.File.Delete(progressFile);
        System.IO.Directory.CreateDirectory(progressFile);
        var summary = session.Finish();

        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.True(summary.CheckpointRemoved);
        Assert.False(location.Exists);
    }
}
