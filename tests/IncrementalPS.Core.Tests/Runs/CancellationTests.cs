using System;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>Ctrl+C: the token is cancelled and the work throws. The item stays in flight; it is neither failed nor a death.</summary>
public sealed class CancellationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_cancelled_item_is_left_in_flight_not_failed_and_the_exception_propagates(bool throwsCancellation)
    {
        using var store = new TempStore();
        var location = store.Named();
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.MaxAttempts = 3)))
        {
            session.Complete("before");
            var thrown = Record.Exception(() => session.Process("stopped", attempt =>
            {
                calls++;
                cancel.Cancel();
                if (throwsCancellation)
                {
                    attempt.CancellationToken.ThrowIfCancellationRequested();
                }

                // A pipeline being stopped throws its own exception type, not OperationCanceledException.
                throw new InvalidOperationException("The pipeline has been stopped.");
            }, cancel.Token));

            Assert.NotNull(thrown);
            Assert.Equal(throwsCancellation, thrown is OperationCanceledException);
            Assert.Equal(1, calls);
            var item = CheckpointInspector.ReadItems(location, keyFilter: k => k == "stopped").Single();
            Assert.Equal(ItemState.InFlight, item.State);
            Assert.Null(item.Error);
        }

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        Assert.Equal(0, status.Failed);
        Assert.Equal(1, status.InFlight);
        Assert.Empty(CheckpointFile.Records(location.FilePath, "item-failed"));
    }

    [Fact]
    public void Cancellations_never_count_as_deaths_so_the_item_is_never_poisoned_by_them()
    {
        using var store = new TempStore();
        var location = store.Named();

        for (var run = 0; run < 3; run++)
        {
            using var cancel = new CancellationTokenSource();
            using var session = CheckpointSession.Start(location, Sessions.Options(o => o.PoisonThreshold = 1));
            Assert.ThrowsAny<OperationCanceledException>(() => session.Process("stopped", _ =>
            {
                cancel.Cancel();
                throw new OperationCanceledException(cancel.Token);
            }, cancel.Token));
        }

        Assert.Equal(0, CheckpointInspector.ReadItems(location).Single().Deaths);

        using var resumed = CheckpointSession.Start(location, Sessions.Options(o => o.PoisonThreshold = 1));
        Assert.Equal(1, resumed.Resume.InFlight);
        var ran = false;
        var outcome = resumed.Process("stopped", _ => { ran = true; return null; });

        Assert.Equal(ItemOutcomeKind.Completed, outcome.Kind);
        Assert.True(ran);
    }

    [Fact]
    public void Stopping_during_the_wait_before_a_retry_leaves_the_item_in_flight()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var cancel = new CancellationTokenSource();
        var options = Sessions.Options(o =>
        {
            o.MaxAttempts = 5;
            o.RetryDelay = TimeSpan.FromMinutes(10);
            o.MaxRetryDelay = TimeSpan.FromMinutes(10);
            o.OnRetry = _ => cancel.Cancel();
        });
        using var session = CheckpointSession.Start(location, options);

        Assert.ThrowsAny<OperationCanceledException>(() => session.Process("waiting", _ => throw new InvalidOperationException("busy"), cancel.Token));

        Assert.Equal(ItemState.InFlight, CheckpointInspector.ReadItems(location).Single().State);
    }

    [Fact]
    public void Finishing_with_an_item_left_in_flight_ends_the_run_interrupted_and_keeps_the_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var cancel = new CancellationTokenSource();
        using var session = CheckpointSession.Start(location, Sessions.Options());
        session.Complete("a");
        Assert.ThrowsAny<OperationCanceledException>(() => session.Process("b", _ =>
        {
            cancel.Cancel();
            throw new OperationCanceledException(cancel.Token);
        }, cancel.Token));

        var summary = session.Finish();

        Assert.Equal(CheckpointState.Interrupted, summary.State);
        Assert.False(summary.CheckpointRemoved);
        Assert.True(location.Exists);
        Assert.Equal(CheckpointState.Interrupted, CheckpointInspector.ReadStatus(location).State);
    }
}
