using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Status;

/// <summary>
/// The total is known only when it was given or when a run saw the end of its input; the items a stopped run got
/// through say nothing about the ones it did not reach.
/// </summary>
public sealed class TotalTests
{
    [Fact]
    public void After_an_interrupted_run_without_a_given_total_the_total_and_percent_are_unknown()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var run = CheckpointSession.Start(location, Sessions.Options()))
        {
            foreach (var key in Sessions.Keys("k", 29))
            {
                run.Complete(key);
            }
        }

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.Equal(29, status.Completed);
        Assert.Null(status.Total);
        Assert.Null(status.PercentComplete);

        using var resume = CheckpointSession.Start(location, Sessions.Options());
        Assert.Null(resume.Resume.EstimatedTotal);
        Assert.Null(resume.GetProgress().Total);
        Assert.Null(resume.GetProgress().PercentComplete);
    }

    [Fact]
    public void After_a_finished_run_the_total_is_what_it_saw()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var run = CheckpointSession.Start(location, Sessions.Options()))
        {
            foreach (var key in Sessions.Keys("k", 5))
            {
                run.Complete(key);
            }

            run.Fail("bad");
            var summary = run.Finish();
            Assert.Equal(CheckpointState.Failed, summary.State);
        }

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(6, status.Total);
        Assert.Equal(100.0, status.PercentComplete);
    }

    [Fact]
    public void A_finished_run_reports_what_it_saw_as_its_final_total()
    {
        using var store = new TempStore();
        var location = store.Named();
        var progress = new RecordingProgress();
        using var run = CheckpointSession.Start(location, Sessions.Options(), progress);
        run.Complete("a");
        run.Complete("b");
        Assert.Null(run.GetProgress().Total);

        run.Finish();

        Assert.Equal(2, progress.Reports[^1].Total);
        Assert.False(progress.Reports[^1].TotalIsEstimate);
    }

    [Fact]
    public void A_stopped_run_after_a_finished_one_keeps_the_finished_runs_total_also_through_compaction()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, Sessions.Keys("k", 10));
        using (var stopped = CheckpointSession.Start(location, Sessions.Options()))
        {
            stopped.Complete("new-1");
        }

        Assert.Equal(10, CheckpointInspector.ReadStatus(location).Total);
        var journal = JournalLoader.Load(location.FilePath);
        Compactor.Compact(location.FilePath, journal.Keys, journal.Runs);
        Assert.Equal(10, CheckpointInspector.ReadStatus(location).Total);

        // The estimate is the finished run's count: the keys recorded since say nothing about the next input's size
        // (in a -Keep ledger they are every input it ever had). A run that outgrows the estimate drops it.
        using var next = CheckpointSession.Start(location, Sessions.Options());
        Assert.Equal(10, next.Resume.EstimatedTotal);
    }

    [Fact]
    public void A_given_total_stays_known_after_the_run_is_stopped()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var run = CheckpointSession.Start(location, Sessions.Options(o => o.TotalCount = 60)))
        {
            run.Complete("a");
        }

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(60, status.Total);
    }

    [Fact]
    public void A_ledger_s_estimate_is_the_last_complete_run_s_count_not_every_key_it_ever_recorded()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), Sessions.Keys("old", 50));
        Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), Sessions.Keys("new", 5));

        using var next = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        Assert.Equal(5, next.Resume.EstimatedTotal);
        Assert.Equal(5, next.GetProgress().Total);
    }
}
