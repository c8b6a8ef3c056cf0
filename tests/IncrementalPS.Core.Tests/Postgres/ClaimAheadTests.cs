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
    public void The_heartbeat_keeps_the_leases_of_keys_claimed_ahead_and_of_results_not_yet_sent_alive()
    {
        // The heartbeat renews the keys the worker holds by name: the one it runs, those it claimed ahead, and one whose
        // result waits for the next trip. Beats far more often than the lease needs, for a busy machine.
        var lease = TimeSpan.FromSeconds(2);
        using var holder = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), lease, TimeSpan.FromMilliseconds(100));
        using var other = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), Lease);
        holder.Foresee(new[] { "b", "c" });
        Assert.True(holder.TryClaim("a", 1, 0, out var a));
        Assert.Equal(2, holder.Reserved);
        holder.Foresee(Array.Empty<string>());
        Assert.True(holder.TryClaim("b", 1, 0, out var b));
        var unsent = holder.RecordCompleted(a, TimeSpan.Zero, DateTime.UtcNow, null);

        Thread.Sleep(lease * 2.5);
        holder.ThrowIfFailed();

        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE lease_until < now()"));
        foreach (var key in new[] { "a", "b", "c" })
        {
            Assert.False(other.TryClaim(key, 1, 0, out _), key);
        }

        holder.WaitDurable(unsent);
        holder.WaitDurable(holder.RecordCompleted(b, TimeSpan.Zero, DateTime.UtcNow, null));
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [Fact]
    public void Foreseen_keys_another_worker_is_claiming_at_that_moment_cost_no_trip_each_and_are_asked_about_later()
    {
        using var worker = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), Lease);
        var checkpoint = (long)_db.Scalar("SELECT id FROM incrementalps.checkpoints")!;
        using (var other = new Npgsql.NpgsqlConnection(_db.ConnectionString))
        {
            // Another worker's claim of b and c in progress: it holds their advisory locks until it commits.
            other.Open();
            using var transaction = other.BeginTransaction();
            using (var claiming = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(k, @c)) FROM unnest(ARRAY['b', 'c']) AS k", other))
            {
                claiming.Parameters.AddWithValue("c", checkpoint);
                claiming.ExecuteNonQuery();
            }

            worker.Foresee(new[] { "b", "c", "d" });
            Assert.True(worker.TryClaim("a", 1, 0, out _));
            Assert.Equal(1, worker.Reserved);
            worker.Foresee(Array.Empty<string>());
            var trips = worker.RoundTrips;

            Assert.False(worker.TryClaim("b", 1, 0, out _));
            Assert.Equal(trips, worker.RoundTrips);
            transaction.Rollback();
        }

        // That claim never committed: once the moment is over, c is asked about, and claimed.
        Thread.Sleep(PostgresRunStore.ClaimedElsewhereFor + TimeSpan.FromMilliseconds(200));
        Assert.True(worker.TryClaim("c", 1, 0, out _));
    }

    [Fact]
    public void Foreseen_keys_a_claim_finds_held_by_a_worker_whose_claim_committed_late_cost_no_trip_each()
    {
        using var worker = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), Lease);
        var checkpoint = (long)_db.Scalar("SELECT id FROM incrementalps.checkpoints")!;
        using (var other = new Npgsql.NpgsqlConnection(_db.ConnectionString))
        {
            // Another worker's claim of b and c: its tokens are drawn before this worker's claim, and it commits after
            // that claim's look at the keys claimed since. So b and c are never among the keys claimed since.
            other.Open();
            using var transaction = other.BeginTransaction();
            using (var claiming = new Npgsql.NpgsqlCommand(
                "SELECT pg_advisory_xact_lock(hashtextextended(k, @c)) FROM unnest(ARRAY['b', 'c']) AS k; " +
                "INSERT INTO incrementalps.items (checkpoint_id, key, status, run, attempts, deaths, token, lease_until, reserved) " +
                "SELECT @c, k, 2, 99, 1, 0, nextval('incrementalps.tokens'), now() + interval '30 s', false FROM unnest(ARRAY['b', 'c']) AS k",
                other))
            {
                claiming.Parameters.AddWithValue("c", checkpoint);
                claiming.ExecuteNonQuery();
            }

            worker.Foresee(new[] { "b", "c", "d" });
            Assert.True(worker.TryClaim("a", 1, 0, out _));
            transaction.Commit();
        }

        // Once the moment is over, reaching b asks about it, and c with it: both held by the other worker.
        Thread.Sleep(PostgresRunStore.ClaimedElsewhereFor + TimeSpan.FromMilliseconds(200));
        worker.Foresee(new[] { "c" });
        Assert.False(worker.TryClaim("b", 1, 0, out _));
        worker.Foresee(Array.Empty<string>());
        var trips = worker.RoundTrips;

        Assert.False(worker.TryClaim("c", 1, 0, out _));
        Assert.Equal(trips, worker.RoundTrips);
        Assert.True(worker.TryGet("c", out var c) && c.Status == KeyStatus.Started && c.Run == 99);
    }

    [Fact]
    public void A_worker_that_joins_while_another_holds_keys_learns_in_one_claim_which_of_them_were_finished_since()
    {
        var keys = Enumerable.Range(0, 10).Select(i => $"k{i}").ToArray();
        using var early = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), Lease);
        early.Foresee(keys.Skip(1).ToArray());
        Assert.True(early.TryClaim(keys[0], 1, 0, out var claim));
        early.Foresee(Array.Empty<string>());

        // Joining now, the late worker learns that the early one holds all ten (one running, the rest claimed ahead).
        using var late = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), Lease);
        Assert.True(late.TryGet(keys[5], out var held) && held.Status == KeyStatus.Started && held.Run == early.Run);
        for (var i = 1; i < keys.Length; i++)
        {
            early.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null);
            Assert.True(early.TryClaim(keys[i], 1, 0, out claim));
        }

        early.WaitDurable(early.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));

        // Reaching the first, the late worker asks about the ones after it in the same trip: all done, none costs a trip.
        late.Foresee(keys.Skip(1).ToArray());
        Assert.False(late.TryClaim(keys[0], 1, 0, out _));
        Assert.All(keys, key => Assert.True(late.TryGet(key, out var entry) && entry.Status == KeyStatus.Completed, key));
        Assert.Equal(1, late.RoundTrips);
    }

    [Fact]
    public void A_key_a_claim_found_finished_is_not_asked_about_again_however_stale_what_was_heard_of_it_before()
    {
        using var worker = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(), Lease);
        var checkpoint = (long)_db.Scalar("SELECT id FROM incrementalps.checkpoints")!;
        using (var other = new Npgsql.NpgsqlConnection(_db.ConnectionString))
        {
            // Another worker finishing b at this very moment (its advisory lock taken): b is taken as held for a moment.
            // Its token comes before this worker's claim, so the keys claimed since never bring b back.
            other.Open();
            using var transaction = other.BeginTransaction();
            using (var finishing = new Npgsql.NpgsqlCommand(
                "SELECT pg_advisory_xact_lock(hashtextextended('b', @c)); " +
                "INSERT INTO incrementalps.items (checkpoint_id, key, status, run, attempts, deaths, token, finished_at) " +
                "VALUES (@c, 'b', 0, 99, 1, 0, nextval('incrementalps.tokens'), now())",
                other))
            {
                finishing.Parameters.AddWithValue("c", checkpoint);
                finishing.ExecuteNonQuery();
            }

            worker.Foresee(new[] { "b" });
            Assert.True(worker.TryClaim("a", 1, 0, out _));
            transaction.Commit();
        }

        // The moment over, the next claim asks about b with its keys ahead, and learns that it is done.
        Thread.Sleep(PostgresRunStore.ClaimedElsewhereFor + TimeSpan.FromMilliseconds(200));
        worker.Foresee(new[] { "b", "d" });
        Assert.True(worker.TryClaim("c", 1, 0, out _));
        Assert.Contains("b", worker.LastClaimKeys);
        Assert.True(worker.TryGet("b", out var b) && b.Status == KeyStatus.Completed);

        // Known done from then on: never asked about again.
        worker.Foresee(new[] { "b", "f" });
        Assert.True(worker.TryClaim("e", 1, 0, out _));
        Assert.Equal(new[] { "e", "f" }, worker.LastClaimKeys);
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
    public void Only_keys_nobody_claimed_before_are_claimed_ahead_and_no_attempt_is_counted_until_one_starts()
    {
        var options = Sessions.Options();
        var earlier = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using (var session = Start(earlier, options))
        {
            session.Process("interrupted", _ => null);
            session.Process("failed", _ => throw new InvalidOperationException("no"));
        }

        _db.Scalar("UPDATE incrementalps.items SET status = 3 WHERE key = 'interrupted'");
        var store = PostgresRunStore.Open(_db.Target, "job", Sessions.Options(o => o.RetryFailed = true), Lease);
        using var next = Start(store, Sessions.Options(o => o.RetryFailed = true));

        next.ProcessPipelined("a", new[] { "interrupted", "failed", "new" }, _ => null);
        next.SettlePipelined();

        Assert.Equal(1, store.Reserved);
        Assert.Equal(0, Convert.ToInt32(_db.Scalar("SELECT attempts FROM incrementalps.items WHERE key = 'new' AND reserved"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((short)3, _db.Scalar("SELECT status FROM incrementalps.items WHERE key = 'interrupted'"));
        Assert.Equal((short)1, _db.Scalar("SELECT status FROM incrementalps.items WHERE key = 'failed'"));
        Assert.Equal(ItemOutcomeKind.Completed, next.Process("new", _ => null).Kind);
        Assert.Equal(1, Convert.ToInt32(_db.Scalar("SELECT attempts FROM incrementalps.items WHERE key = 'new'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void After_a_slow_item_nothing_is_claimed_ahead_so_other_workers_are_not_kept_waiting_for_it()
    {
        var options = Sessions.Options();
        var store = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using var session = Start(store, options);

        session.ProcessPipelined("slow", Array.Empty<string>(), _ =>
        {
            Thread.Sleep(PostgresRunStore.ClaimAheadUpTo * 2);
            return null;
        });
        session.ProcessPipelined("next", new[] { "b", "c" }, _ => null);

        Assert.Equal(0, store.Reserved);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE key IN ('b', 'c')"));
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
    public void Keys_claimed_ahead_and_never_reached_are_let_go_when_the_run_ends_as_if_never_claimed()
    {
        var options = Sessions.Options(o => o.Keep = true);
        var store = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using (var session = Start(store, options))
        {
            session.ProcessPipelined("a", new[] { "b", "c" }, _ => null);
            Assert.Equal(CheckpointState.Completed, session.Finish().State);
        }

        // As if never claimed: they never ran, so nothing says they are unfinished.
        Assert.Equal("a", _db.Scalar("SELECT string_agg(key, ',' ORDER BY key) FROM incrementalps.items"));
    }

    private static CheckpointSession Start(PostgresRunStore store, RunOptions options)
        => CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")), store, options);
}
