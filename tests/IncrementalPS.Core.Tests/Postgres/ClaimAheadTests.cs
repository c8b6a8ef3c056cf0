using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>
/// A worker that sees its next items claims several in one trip (reserved until it starts each): workers on the same
/// input stop paying a trip for every key another holds, and a reservation that lapses is no death of its item.
/// </summary>
public sealed class ClaimAheadTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(300);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Two_workers_in_lockstep_on_the_same_input_make_about_one_trip_per_item_between_them()
    {
        var keys = Enumerable.Range(0, 200).Select(i => $"k{i:D3}").ToList();
        var options = Sessions.Options();
        var a = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        var b = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        var ran = new List<string>();
        using (var first = Start(a, options))
        using (var second = Start(b, options))
        {
            for (var i = 0; i < keys.Count; i++)
            {
                var upcoming = keys.Skip(i + 1).Take(PostgresRunStore.ClaimAhead).ToList();
                foreach (var session in new[] { first, second })
                {
                    session.ProcessPipelined(keys[i], upcoming, _ => { ran.Add(keys[i]); return null; });
                }
            }

            first.SettlePipelined();
            second.SettlePipelined();
            var trips = a.RoundTrips + b.RoundTrips;

            // Without claims ahead each key costs the worker that did not get it a trip of its own: two per item.
            Assert.True(trips < keys.Count * 13 / 10, $"{trips} trips for {keys.Count} items");
        }

        Assert.Equal(keys, ran.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal((long)keys.Count, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE deaths > 0 OR reserved"));
    }

    [Fact]
    public void A_reservation_that_lapses_is_taken_over_without_a_death_and_its_old_holder_does_not_run_it()
    {
        var options = Sessions.Options();
        var dying = PostgresRunStore.Open(_db.Target, "job", options, ShortLease, Timeout.InfiniteTimeSpan);
        using var dyingSession = Start(dying, options);
        dyingSession.ProcessPipelined("a", new[] { "b", "c" }, _ => null);
        dyingSession.SettlePipelined();
        Assert.Equal(2, dying.Reserved);
        Thread.Sleep(ShortLease * 3);

        var taker = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using (var takerSession = Start(taker, options))
        {
            Assert.Equal(ItemOutcomeKind.Completed, takerSession.Process("b", _ => "taker's").Kind);
        }

        var late = dyingSession.Process("b", _ => throw new InvalidOperationException("the old holder must not run b"));

        Assert.Contains(late.Kind, new[] { ItemOutcomeKind.HeldElsewhere, ItemOutcomeKind.SkippedCompleted });
        Assert.Equal(0, Convert.ToInt32(_db.Scalar("SELECT deaths FROM incrementalps.items WHERE key = 'b'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("taker's", _db.Scalar("SELECT output FROM incrementalps.items WHERE key = 'b'"));
    }

    [Fact]
    public void A_lapsed_reservation_seen_when_opening_is_no_death_so_it_never_makes_an_item_poison()
    {
        var options = Sessions.Options(o => o.PoisonThreshold = 1);
        var dying = PostgresRunStore.Open(_db.Target, "job", options, ShortLease, Timeout.InfiniteTimeSpan);
        var dyingSession = Start(dying, options);
        dyingSession.ProcessPipelined("a", new[] { "b" }, _ => null);
        dyingSession.SettlePipelined();
        Thread.Sleep(ShortLease * 3);

        var next = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using var session = Start(next, options);

        Assert.Equal(ItemOutcomeKind.Completed, session.Process("b", _ => null).Kind);
        GC.KeepAlive(dyingSession);
    }

    [Fact]
    public void Keys_claimed_ahead_and_never_reached_are_let_go_when_the_run_ends()
    {
        var options = Sessions.Options();
        var store = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using (var session = Start(store, options))
        {
            session.ProcessPipelined("a", new[] { "b", "c" }, _ => null);
            session.Finish();
        }

        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 2 OR reserved"));
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 3 AND deaths = 0"));
    }

    private static CheckpointSession Start(PostgresRunStore store, RunOptions options)
        => CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")), store, options);
}
