using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>Round trips per item against a real server: a result travels with the next claim, and keys others took cost none.</summary>
public sealed class RoundTripTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(300);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_result_is_committed_by_the_claim_of_the_next_item_in_the_same_round_trip()
    {
        using var store = Open("job", Lease);
        Assert.True(store.TryClaim("a", 1, 0, out var a));
        var point = store.RecordCompleted(a, TimeSpan.Zero, DateTime.UtcNow, "a's");
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));

        Assert.True(store.TryClaim("b", 1, 0, out _));
        store.WaitDurable(point);

        Assert.Equal(2, store.RoundTrips);
        Assert.Equal("a's", _db.Scalar("SELECT output FROM incrementalps.items WHERE key = 'a' AND status = 0"));
    }

    [Fact]
    public void A_workers_statements_keep_generic_plans_unless_the_connection_string_chooses()
    {
        using var store = Open("job", Lease);
        var chosen = new Npgsql.NpgsqlConnectionStringBuilder(_db.ConnectionString) { Options = "-c plan_cache_mode=force_custom_plan" };
        using var own = PostgresRunStore.Open(PostgresTarget.Parse(chosen.ConnectionString), "job", Sessions.Options(), Lease);

        Assert.Equal("force_generic_plan", store.ReadSetting("plan_cache_mode"));
        Assert.Equal("force_custom_plan", own.ReadSetting("plan_cache_mode"));
    }

    [Fact]
    public void A_result_nobody_carried_is_committed_by_the_wait_for_it()
    {
        using var store = Open("job", Lease);
        Assert.True(store.TryClaim("a", 1, 0, out var a));

        store.WaitDurable(store.RecordCompleted(a, TimeSpan.Zero, DateTime.UtcNow, null));

        Assert.Equal(2, store.RoundTrips);
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [Fact]
    public void A_late_result_carried_by_the_next_claim_is_refused_and_the_next_claim_still_stands()
    {
        using var late = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
        using var taker = Open("job", Lease);
        Assert.True(late.TryClaim("k", 1, 0, out var lateClaim));
        Thread.Sleep(ShortLease * 3);
        Assert.True(taker.TryClaim("k", 1, 0, out var takerClaim));
        taker.WaitDurable(taker.RecordCompleted(takerClaim, TimeSpan.Zero, DateTime.UtcNow, "taker's"));

        var latePoint = late.RecordCompleted(lateClaim, TimeSpan.Zero, DateTime.UtcNow, "late");
        Assert.True(late.TryClaim("next", 1, 0, out _));
        var refused = Assert.Throws<CheckpointLeaseLostException>(() => late.WaitDurable(latePoint));

        Assert.Equal("k", refused.Key);
        Assert.Equal("taker's", _db.Scalar("SELECT output FROM incrementalps.items WHERE key = 'k'"));
        Assert.Equal((short)KeyStatus.Started, _db.Scalar("SELECT status FROM incrementalps.items WHERE key = 'next'"));
        Assert.True(late.TryGet("k", out var entry));
        late.ThrowIfFailed();
        Assert.True(late.TryGet("k", out entry));
        Assert.NotEqual(KeyStatus.Completed, entry.Status);
    }

    [Fact]
    public void Keys_another_worker_claimed_are_declined_without_a_round_trip_each()
    {
        using var other = Open("job", Lease);
        using var worker = Open("job", Lease);
        var keys = Enumerable.Range(0, 20).Select(i => "k" + i).ToList();
        foreach (var key in keys.Take(10))
        {
            Assert.True(other.TryClaim(key, 1, 0, out var claim));
            other.WaitDurable(other.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));
        }

        foreach (var key in keys.Skip(10))
        {
            Assert.True(other.TryClaim(key, 1, 0, out _));
        }

        Assert.True(worker.TryClaim("mine", 1, 0, out _));
        var trips = worker.RoundTrips;
        foreach (var key in keys)
        {
            Assert.False(worker.TryClaim(key, 1, 0, out _));
        }

        Assert.Equal(trips, worker.RoundTrips);
        Assert.True(worker.TryGet("k0", out var done));
        Assert.Equal(KeyStatus.Completed, done.Status);
        Assert.True(worker.TryGet("k15", out var held));
        Assert.Equal(KeyStatus.Started, held.Status);
        Assert.Equal(other.Run, held.Run);
    }

    [Fact]
    public void A_declined_claim_of_a_finished_item_leaves_its_row_unlocked_so_it_commits_without_a_flush()
    {
        using var worker = Open("job", Lease);
        using var other = Open("job", Lease);
        Assert.True(other.TryClaim("k", 1, 0, out var claim));
        other.WaitDurable(other.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));

        Assert.False(worker.TryClaim("k", 1, 0, out _));

        // A row lock (ON CONFLICT DO UPDATE takes one even when it then declines) would leave the locker's xid here.
        Assert.Equal("0", _db.Scalar("SELECT xmax::text FROM incrementalps.items WHERE key = 'k'"));
    }

    [Fact]
    public void A_key_another_worker_is_claiming_right_now_is_declined_as_held_without_waiting_for_its_commit()
    {
        using var other = Open("job", Lease);
        using var worker = Open("job", Lease);
        var checkpoint = _db.Scalar("SELECT id FROM incrementalps.checkpoints");
        using var connection = new Npgsql.NpgsqlConnection(_db.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();

        // A claim in flight, as the store makes one: the key's advisory lock, and its row not committed yet.
        using (var command = new Npgsql.NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtextextended('k', @c)); " +
            "INSERT INTO incrementalps.items (checkpoint_id, key, status, run, attempts, token, lease_until) VALUES (@c, 'k', 2, @r, 1, 1, now() + interval '30 seconds')",
            connection, transaction))
        {
            command.Parameters.AddWithValue("c", checkpoint!);
            command.Parameters.AddWithValue("r", other.Run);
            command.ExecuteNonQuery();
        }

        bool? claimed = null;
        Exception? failure = null;
        var claiming = new Thread(() =>
        {
            try
            {
                claimed = worker.TryClaim("k", 1, 0, out _);
            }
            catch (CheckpointServerException ex)
            {
                // A claim that waited fails when the test's transaction and database go away: kept, not a crash.
                failure = ex;
            }
        });
        claiming.Start();

        Assert.True(claiming.Join(TimeSpan.FromSeconds(60)), "the claim waited for the other worker's transaction");
        Assert.Null(failure);
        Assert.False(claimed);
        Assert.True(worker.TryGet("k", out var held));
        Assert.Equal(KeyStatus.Started, held.Status);
        Assert.NotEqual(worker.Run, held.Run);
        transaction.Rollback();
    }

    [Fact]
    public void The_keys_claimed_since_query_moves_past_the_workers_own_claims_so_it_does_not_scan_them_again()
    {
        using var worker = Open("job", Lease);
        Assert.True(worker.TryClaim("a", 1, 0, out var a));
        Assert.True(worker.TryClaim("b", 1, 0, out _));
        Assert.True(worker.TryClaim("c", 1, 0, out _));

        Assert.True(worker.LastSeenToken >= a.Token, $"the mark stayed at {worker.LastSeenToken}, before the worker's own claim {a.Token}");
    }

    [Fact]
    public void A_key_learned_held_whose_lease_lapsed_since_is_asked_for_and_taken_over()
    {
        using var dying = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
        using var worker = Open("job", Lease);
        Assert.True(dying.TryClaim("k", 1, 0, out _));
        Assert.True(worker.TryClaim("mine", 1, 0, out _));

        Thread.Sleep(ShortLease * 3);

        Assert.True(worker.TryClaim("k", 1, 0, out var taken));
        Assert.Equal(2, taken.Attempt);
    }

    [Fact]
    public void Items_held_elsewhere_are_settled_at_the_end_of_the_input_in_a_few_round_trips_not_one_each()
    {
        using var holder = Open("job", Lease);
        var keys = Enumerable.Range(0, 50).Select(i => "k" + i).ToList();
        var claims = keys.Select(key => holder.TryClaim(key, 1, 0, out var claim) ? claim : throw new InvalidOperationException()).ToList();
        var options = Sessions.Options(o =>
        {
            o.Keep = true;
            o.HeldItemPoll = TimeSpan.FromMilliseconds(20);
        });
        var store = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using var session = CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")), store, options);
        foreach (var key in keys)
        {
            Assert.Equal(ItemOutcomeKind.HeldElsewhere, session.Process(key, _ => throw new InvalidOperationException("held elsewhere")).Kind);
        }

        var last = default(CommitPoint);
        foreach (var claim in claims)
        {
            last = holder.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null);
        }

        holder.WaitDurable(last);
        var trips = store.RoundTrips;
        var settled = new List<ItemOutcome>();
        session.ProcessHeld(settled.Add);

        Assert.Equal(50, settled.Count);
        Assert.All(settled, outcome => Assert.Equal(ItemOutcomeKind.SkippedCompleted, outcome.Kind));
        Assert.True(store.RoundTrips - trips <= 2, $"{store.RoundTrips - trips} round trips to settle 50 held items");
    }

    [Fact]
    public void Pipelined_items_cost_one_round_trip_each_and_come_back_only_once_their_result_is_committed()
    {
        var options = Sessions.Options(o => o.Keep = true);
        var store = PostgresRunStore.Open(_db.Target, "job", options, Lease);
        using var session = Start(store, options);
        var keys = Enumerable.Range(0, 10).Select(i => "k" + i).ToList();

        for (var i = 0; i < keys.Count; i++)
        {
            var settled = session.ProcessPipelined(keys[i], _ => "out");

            Assert.Equal(i == 0 ? [] : [keys[i - 1]], settled.Select(o => o.Key));
            Assert.Equal((long)i, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        }

        Assert.Equal(keys.Count, store.RoundTrips);
        Assert.Equal([keys[^1]], session.SettlePipelined().Select(o => o.Key));
        Assert.Equal(keys.Count + 1, store.RoundTrips);
        Assert.Equal((long)keys.Count, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [Fact]
    public void A_pipelined_result_refused_by_the_fence_is_reported_by_the_next_item_and_the_takers_result_stays()
    {
        var options = Sessions.Options(o => o.Keep = true);
        var store = PostgresRunStore.Open(_db.Target, "job", options, ShortLease, Timeout.InfiniteTimeSpan);
        using var taker = Open("job", Lease);
        using var session = Start(store, options);

        var first = session.ProcessPipelined("k", _ =>
        {
            // This worker stalls past its lease; another takes the item over and finishes it meanwhile.
            Thread.Sleep(ShortLease * 3);
            Assert.True(taker.TryClaim("k", 1, 0, out var claim));
            taker.WaitDurable(taker.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, "taker's"));
            return "late";
        });

        Assert.Empty(first);
        var refused = Assert.Throws<CheckpointLeaseLostException>(() => session.ProcessPipelined("next", _ => null));
        Assert.Equal("k", refused.Key);
        Assert.Equal("taker's", _db.Scalar("SELECT output FROM incrementalps.items WHERE key = 'k'"));
    }

    private static CheckpointSession Start(PostgresRunStore store, RunOptions options)
        => CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-job.jsonl")), store, options);

    private PostgresRunStore Open(string name, TimeSpan lease, TimeSpan? heartbeat = null)
        => PostgresRunStore.Open(_db.Target, name, Sessions.Options(), lease, heartbeat);
}
