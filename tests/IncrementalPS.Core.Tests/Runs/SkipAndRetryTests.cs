using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

public sealed class SkipAndRetryTests
{
    [Fact]
    public void Resume_skips_completed_keys_without_running_their_work()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var first = CheckpointSession.Start(location, Sessions.Options()))
        {
            first.Complete("a");
            first.Complete("b");
        }

        var ran = new List<string>();
        using var second = CheckpointSession.Start(location, Sessions.Options());
        var outcomes = new[] { "a", "b", "c" }.Select(k => second.Process(k, attempt => { ran.Add(attempt.Key); return null; })).ToList();

        Assert.Equal(["c"], ran);
        Assert.Equal(
            [ItemOutcomeKind.SkippedCompleted, ItemOutcomeKind.SkippedCompleted, ItemOutcomeKind.Completed],
            outcomes.Select(o => o.Kind));
        Assert.All(outcomes.Take(2), o => Assert.True(o.WasSkipped));
        Assert.Equal(TimeSpan.Zero, outcomes[0].Duration);
    }

    [Fact]
    public void A_key_repeated_within_a_run_is_processed_once()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options());
        var calls = 0;

        var first = session.Process("same", _ => { calls++; return null; });
        var second = session.Process("same", _ => { calls++; return null; });

        Assert.Equal(ItemOutcomeKind.Completed, first.Kind);
        Assert.Equal(ItemOutcomeKind.SkippedDuplicate, second.Kind);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Keys_are_compared_ordinally()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options());

        session.Complete("File.txt");

        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("file.txt").Kind);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("Fi\u006Ce.txt ").Kind);
    }

    [Fact]
    public void Failed_keys_are_skipped_on_resume_unless_retrying_failed_items_is_asked_for()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["ok"], failed: ["bad"]);

        using (var skipping = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            var calls = 0;
            var outcome = skipping.Process("bad", _ => { calls++; return null; });

            Assert.Equal(ItemOutcomeKind.SkippedFailed, outcome.Kind);
            Assert.Equal("boom", outcome.Error?.Message);
            Assert.Equal(0, calls);
            var summary = skipping.Finish();
            Assert.Equal(1, summary.SkippedFailed);
            Assert.Equal(1, summary.FailedInCheckpoint);
            Assert.Equal(CheckpointState.Failed, summary.State);
        }

        using var retrying = CheckpointSession.Start(location, Sessions.Options(o => o.RetryFailed = true));
        var attempts = new List<int>();
        var retried = retrying.Process("bad", a => { attempts.Add(a.Attempt); return null; });

        Assert.Equal(ItemOutcomeKind.Completed, retried.Kind);
        Assert.Equal([2], attempts);
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, retrying.Complete("ok").Kind);
        var end = retrying.Finish();
        Assert.Equal(CheckpointState.Completed, end.State);
        Assert.True(end.CheckpointRemoved);
    }

    [Fact]
    public void A_failing_item_is_retried_within_the_run_with_exponential_backoff()
    {
        using var store = new TempStore();
        var notices = new List<RetryNotice>();
        var attempts = new List<(int Attempt, int InRun)>();
        var options = Sessions.Options(o =>
        {
            o.MaxAttempts = 4;
            o.RetryDelay = TimeSpan.FromMilliseconds(20);
            o.MaxRetryDelay = TimeSpan.FromMinutes(1);
            o.OnRetry = notices.Add;
        });
        using var session = CheckpointSession.Start(store.Named(), options);

        var clock = Stopwatch.StartNew();
        var outcome = session.Process("flaky", a =>
        {
            attempts.Add((a.Attempt, a.AttemptInRun));
            return a.AttemptInRun < 4 ? throw new IOException($"failure {a.AttemptInRun}") : "done";
        });
        clock.Stop();

        Assert.Equal(ItemOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(4, outcome.Attempts);
        Assert.Equal([(1, 1), (2, 2), (3, 3), (4, 4)], attempts);
        Assert.Equal([1, 2, 3], notices.Select(n => n.FailedAttemptInRun));
        Assert.Equal(
            [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80)],
            notices.Select(n => n.Delay));
        Assert.All(notices, n => Assert.Equal("flaky", n.Key));
        Assert.All(notices, n => Assert.Equal(4, n.MaxAttempts));
        Assert.Equal(["failure 1", "failure 2", "failure 3"], notices.Select(n => n.Error.Message));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(130), $"the retries waited only {clock.Elapsed}");
    }

    [Fact]
    public void The_retry_delay_doubles_up_to_its_cap()
    {
        using var store = new TempStore();
        var delays = new List<TimeSpan>();
        var options = Sessions.Options(o =>
        {
            o.MaxAttempts = 6;
            o.RetryDelay = TimeSpan.FromMilliseconds(2);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(5);
            o.OnRetry = n => delays.Add(n.Delay);
        });
        using var session = CheckpointSession.Start(store.Named(), options);

        var outcome = session.Fail("never");

        Assert.Equal(ItemOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(6, outcome.Attempts);
        Assert.Equal(new[] { 2, 4, 5, 5, 5 }.Select(ms => TimeSpan.FromMilliseconds(ms)), delays);
    }

    [Fact]
    public void An_item_that_fails_every_attempt_is_recorded_failed_with_its_last_error_before_Process_returns()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.MaxAttempts = 3));

        var outcome = session.Process("doomed", a => throw new FileNotFoundException($"missing on attempt {a.AttemptInRun}"));

        Assert.Equal(ItemOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal("missing on attempt 3", outcome.Error?.Message);
        Assert.Equal(typeof(FileNotFoundException).FullName, outcome.Error?.Type);

        // Recorded in the file before Process returned: an outside reader sees it while the run is still live.
        var item = Assert.Single(CheckpointInspector.ReadItems(location, keyFilter: k => k == "doomed"));
        Assert.Equal(ItemState.Failed, item.State);
        Assert.Equal(3, item.Attempts);
        Assert.Equal("missing on attempt 3", item.Error?.Message);
    }

    [Fact]
    public void A_completion_is_recorded_in_the_file_before_Process_returns()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options());

        session.Process("a", _ =>
        {
            // While the work runs the item is recorded in flight.
            Assert.Equal(ItemState.InFlight, CheckpointInspector.ReadItems(location).Single(i => i.Key == "a").State);
            return null;
        });

        Assert.Equal(ItemState.Completed, CheckpointInspector.ReadItems(location).Single(i => i.Key == "a").State);
        Assert.Single(CheckpointFile.Records(location.FilePath, "item-completed"));
    }

    [Fact]
    public void The_front_end_describes_errors_for_the_record()
    {
        using var store = new TempStore();
        var location = store.Named();
        var options = Sessions.Options(o =>
        {
            o.Keep = true;
            o.DescribeError = ex => new ItemError("described: " + ex.Message, "PSType", "ObjectNotFound");
        });
        using (var session = CheckpointSession.Start(location, options))
        {
            session.Fail("x", "raw");
            session.Finish();
        }

        var error = CheckpointInspector.ReadItems(location, ItemState.Failed).Single().Error;
        Assert.Equal("described: raw", error?.Message);
        Assert.Equal("PSType", error?.Type);
        Assert.Equal("ObjectNotFound", error?.Category);
        var record = Assert.Single(CheckpointFile.Records(location.FilePath, "item-failed"));
        Assert.Equal("ObjectNotFound", record.GetProperty("error").GetProperty("category").GetString());
    }

    [Fact]
    public void Invalid_options_are_refused_before_the_checkpoint_is_touched()
    {
        using var store = new TempStore();
        var location = store.Named();

        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSession.Start(location, Sessions.Options(o => o.MaxAttempts = 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSession.Start(location, Sessions.Options(o => o.PoisonThreshold = 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointSession.Start(location, Sessions.Options(o => o.RetryDelay = TimeSpan.FromSeconds(-1))));

        Assert.False(location.Exists);
    }
}
