using System;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Npgsql;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>
/// Removing a shared checkpoint while workers run on it: nothing is claimed in it afterwards and none of its items is
/// left behind, without a foreign key (PostgresCheckpointLock); other checkpoints are not touched.
/// </summary>
public sealed class RemovedCheckpointTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_worker_that_claims_after_a_forced_reset_stops_with_a_clear_error_and_leaves_no_item_behind()
    {
        using var worker = Open("job");
        Assert.True(worker.TryClaim("a", 1, 0, out var claim));
        worker.WaitDurable(worker.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));

        PostgresReset.Remove(_db.Target, "job", force: true);

        var stopped = Assert.Throws<CheckpointNotFoundException>(() => worker.TryClaim("b", 1, 0, out _));
        Assert.Contains("was removed", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
    }

    [Fact]
    public void A_result_sent_after_a_forced_reset_is_refused_with_the_reset_named_not_a_lapsed_lease()
    {
        using var worker = Open("job");
        Assert.True(worker.TryClaim("a", 1, 0, out var claim));

        PostgresReset.Remove(_db.Target, "job", force: true);

        var stopped = Assert.Throws<CheckpointNotFoundException>(() => worker.WaitDurable(worker.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null)));
        Assert.Contains("was removed", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
    }

    [Fact]
    public void A_claim_that_waits_for_a_removal_in_progress_sees_the_checkpoint_gone_and_claims_nothing()
    {
        using var worker = Open("job");
        var id = (long)_db.Scalar("SELECT id FROM incrementalps.checkpoints WHERE name = 'job'")!;
        Exception? failure = null;
        using (var remover = new NpgsqlConnection(_db.ConnectionString))
        {
            remover.Open();
            using var transaction = remover.BeginTransaction();
            PostgresCheckpointLock.Remove(remover, id);

            // The claim's transaction waits for the removal's lock; its claim statement runs after the removal committed.
            var claimer = new Thread(() => failure = Record.Exception(() => worker.TryClaim("b", 1, 0, out _)));
            claimer.Start();
            Poll.Until(() => (long)_db.Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")! > 0);
            transaction.Commit();
            claimer.Join();
        }

        Assert.IsType<CheckpointNotFoundException>(failure);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
    }

    [Fact]
    public void A_removal_beside_a_claim_that_carries_a_result_waits_for_nothing_the_claim_holds()
    {
        // The worker's side notices a deadlock only after 30 s, so that the removal's side is the one PostgreSQL rolls
        // back if there is one: a claim's trip wrote its result (locking the item's row) before waiting for the
        // checkpoint's lock, which the removal held while it deleted that row.
        var slowToNotice = PostgresTarget.Parse(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Options = "-c deadlock_timeout=30s" }.ConnectionString);
        using var worker = PostgresRunStore.Open(slowToNotice, "job", Sessions.Options(), Lease);
        Assert.True(worker.TryClaim("a", 1, 0, out var claim));
        worker.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null);
        var id = (long)_db.Scalar("SELECT id FROM incrementalps.checkpoints WHERE name = 'job'")!;
        Exception? failure = null;
        using (var remover = new NpgsqlConnection(_db.ConnectionString))
        {
            remover.Open();
            using var transaction = remover.BeginTransaction();
            PostgresCheckpointLock.TakeExclusive(remover, id);
            var claimer = new Thread(() => failure = Record.Exception(() => worker.TryClaim("b", 1, 0, out _)));
            claimer.Start();
            Poll.Until(() => (long)_db.Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")! > 0);

            using (var delete = new NpgsqlCommand($"DELETE FROM incrementalps.items WHERE checkpoint_id = {id}; DELETE FROM incrementalps.checkpoints WHERE id = {id}", remover))
            {
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            claimer.Join();
        }

        Assert.IsType<CheckpointNotFoundException>(failure);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
    }

    [Fact]
    public void Removing_a_checkpoint_leaves_the_items_of_another_untouched()
    {
        using (var mine = Open("mine"))
        using (var other = Open("other"))
        {
            foreach (var store in new[] { mine, other })
            {
                Assert.True(store.TryClaim("a", 1, 0, out var claim));
                store.WaitDurable(store.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));
            }
        }

        PostgresReset.Remove(_db.Target, "mine", force: true);

        Assert.Equal(
            "other",
            _db.Scalar("SELECT string_agg(c.name, ',') FROM incrementalps.items i JOIN incrementalps.checkpoints c ON c.id = i.checkpoint_id"));
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
    }

    private PostgresRunStore Open(string name) => PostgresRunStore.Open(_db.Target, name, Sessions.Options(), Lease);
}
