using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class DashboardSourceTests
{
    [Fact]
    public void Many_requests_at_once_share_one_read_of_the_store()
    {
        var store = new CountingStore();
        var source = new DashboardSource(store);

        Parallel.For(0, 32, _ => source.Current());

        Assert.Equal(1, store.Reads);
    }

    [Fact]
    public async Task While_a_slow_read_is_under_way_requests_get_the_last_read_at_once()
    {
        using var store = new GatedStore();
        var source = new DashboardSource(store);
        var first = source.Current();
        // Past the one-second interval, so the next request reads again.
        await Task.Delay(DashboardSource.MinInterval + TimeSpan.FromMilliseconds(100));
        store.Block();

        var reading = Task.Run(source.Current);
        Assert.True(store.ReadStarted.Wait(TimeSpan.FromSeconds(30)));
        var meanwhile = await Task.Run(source.Current).WaitAsync(TimeSpan.FromSeconds(30));
        store.Release();
        var fresh = await reading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Same(first, meanwhile);
        Assert.NotSame(first, fresh);
    }

    [Fact]
    public void The_rate_history_keeps_at_most_its_capacity_oldest_dropped_first()
    {
        var history = new RateHistory();

        for (var i = 0; i < RateHistory.Capacity + 25; i++)
        {
            history.Add("job", new RateSampleJson { Time = i * RateHistory.SpacingMilliseconds, Rate = 1, Done = i });
        }

        var samples = history.Of("job");
        Assert.Equal(RateHistory.Capacity, samples.Count);
        Assert.Equal(25, samples[0].Done);
        Assert.Equal(RateHistory.Capacity + 24, samples[^1].Done);
    }

    [Fact]
    public void Samples_closer_than_the_spacing_are_not_kept()
    {
        var history = new RateHistory();

        history.Add("job", new RateSampleJson { Time = 1000, Rate = 1, Done = 1 });
        history.Add("job", new RateSampleJson { Time = 1000 + RateHistory.SpacingMilliseconds - 1, Rate = 2, Done = 2 });
        history.Add("job", new RateSampleJson { Time = 1000 + RateHistory.SpacingMilliseconds, Rate = 3, Done = 3 });

        Assert.Equal(new long[] { 1, 3 }, history.Of("job").Select(s => s.Done));
    }

    [Fact]
    public void A_checkpoint_removed_from_the_store_leaves_the_history()
    {
        var history = new RateHistory();
        history.Add("gone", new RateSampleJson { Time = 1, Rate = 1, Done = 1 });
        history.Add("kept", new RateSampleJson { Time = 1, Rate = 1, Done = 1 });

        history.Retain(new HashSet<string> { "kept" });

        Assert.Empty(history.Of("gone"));
        Assert.Single(history.Of("kept"));
    }

    [Fact]
    public void A_store_that_cannot_be_read_is_an_error_in_the_dashboard_and_no_list()
    {
        var source = new DashboardSource(new FailingStore());

        var snapshot = source.Current();

        Assert.Null(snapshot.Checkpoints);
        Assert.Null(snapshot.Metrics);
        Assert.Contains("store is gone", Encoding.UTF8.GetString(snapshot.Dashboard), StringComparison.Ordinal);
    }

    private sealed class CountingStore : IServedStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string Display => "counting";

        public List<StatusJson> ReadStatuses()
        {
            Interlocked.Increment(ref _reads);
            // Long enough that the other requests arrive while this read is under way.
            Thread.Sleep(200);
            return new List<StatusJson> { new() { Name = "job", Path = "job", State = "running", Completed = 1, Failed = 0 } };
        }

        public List<ItemJson> ReadFailedItems(StatusJson row) => new();
    }

    private sealed class GatedStore : IServedStore, IDisposable
    {
        private readonly ManualResetEventSlim _open = new(true);

        public ManualResetEventSlim ReadStarted { get; } = new();

        public string Display => "gated";

        public void Block()
        {
            _open.Reset();
            ReadStarted.Reset();
        }

        public void Release() => _open.Set();

        public List<StatusJson> ReadStatuses()
        {
            ReadStarted.Set();
            _open.Wait();
            return new List<StatusJson>();
        }

        public List<ItemJson> ReadFailedItems(StatusJson row) => new();

        public void Dispose()
        {
            _open.Dispose();
            ReadStarted.Dispose();
        }
    }

    private sealed class FailingStore : IServedStore
    {
        public string Display => "failing";

        public List<StatusJson> ReadStatuses() => throw new Core.CheckpointNotFoundException("store is gone");

        public List<ItemJson> ReadFailedItems(StatusJson row) => throw new InvalidOperationException("not reached");
    }
}
