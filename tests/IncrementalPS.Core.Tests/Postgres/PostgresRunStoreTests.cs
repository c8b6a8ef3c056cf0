using System;
using System.IO;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>The PostgreSQL store against a real server: claims, leases, the fence, poison, failures, the schema version.</summary>
public sealed class PostgresRunStoreTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(300);
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_run_records_results_and_the_next_run_skips_completed_items_and_replays_output()
    {
        using (var first = Start("job", Sessions.Options(o => o.Keep = true)))
        {
            first.Complete("a", "out-a");
            first.Complete("b");
            Assert.Equal(CheckpointState.Completed, first.Finish().State);
        }

        using var second = Start("job", Sessions.Options());
        var a = second.Complete("a");
        var c = second.Complete("c");

        Assert.Equal(ItemOutcomeKind.SkippedCompleted, a.Kind);
        Assert.True(a.HasSavedOutput);
        Assert.Equal("out-a", second.ReadSavedOutput("a"));
        Assert.Equal(ItemOutcomeKind.Completed, c.Kind);
        Assert.True(second.Resume.IsResume);
    }

    [Fact]
    public void An_item_held_by_a_live_worker_is_not_claimed_by_another()
    {
        using var one = Open("job", Lease);
        using var two = Open("job", Lease);

        Assert.True(one.TryClaim("k", 1, 0, out _));
        Assert.False(two.TryClaim("k", 1, 0, out _));
    }

    [Fact]
    public void An_item_completed_by_another_worker_after_this_one_opened_is_not_run_again()
    {
        using var one = Start("job", Sessions.Options(o => o.Keep = true));
        using var two = Start("job", Sessions.Options(o => o.Keep = true));
        var ran = 0;

        one.Process("k", _ => { ran++; return null; });
        var outcome = two.Process("k", _ => { ran++; return null; });

        Assert.Equal(1, ran);
        Assert.Equal(ItemOutcomeKind.SkippedDuplicate, outcome.Kind);
    }

    [Fact]
    public void A_lapsed_lease_is_taken_over_and_the_late_result_of_its_old_owner_is_refused()
    {
        using var late = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
        using var taker = Open("job", Lease);
        Assert.True(late.TryClaim("k", 1, 0, out var lateClaim));

        Thread.Sleep(ShortLease * 3);
        Assert.True(taker.TryClaim("k", 1, 0, out var takerClaim));
        taker.WaitDurable(taker.RecordCompleted(takerClaim, TimeSpan.Zero, DateTime.UtcNow, "taker's"));
        var refused = Assert.Throws<CheckpointLeaseLostException>(() => late.WaitDurable(late.RecordCompleted(lateClaim, TimeSpan.Zero, DateTime.UtcNow, "late")));

        Assert.Equal("k", refused.Key);
        Assert.Equal("taker's", taker.ReadSavedOutput("k"));
        Assert.Equal(2, _db.Scalar("SELECT attempts FROM incrementalps.items"));
        Assert.Equal(1, _db.Scalar("SELECT deaths FROM incrementalps.items"));
    }

    [Fact]
    public void Results_sent_together_are_each_fenced_one_refused_and_the_others_recorded_with_their_output_and_error()
    {
        using var late = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
        using var taker = Open("job", Lease);
        Assert.True(late.TryClaim("a", 1, 0, out var a));
        Assert.True(late.TryClaim("b", 1, 0, out var b));
        Assert.True(late.TryClaim("c", 1, 0, out var c));
        Thread.Sleep(ShortLease * 3);
        Assert.True(taker.TryClaim("b", 1, 0, out var takerClaim));
        taker.WaitDurable(taker.RecordCompleted(takerClaim, TimeSpan.Zero, DateTime.UtcNow, "taker's"));

        // Three results held for one trip: the fence refuses the one another worker took over, and only that one.
        var first = late.RecordCompleted(a, TimeSpan.FromMilliseconds(5), DateTime.UtcNow, "a's");
        var second = late.RecordCompleted(b, TimeSpan.Zero, DateTime.UtcNow, "late");
        var third = late.RecordFailed(c, TimeSpan.Zero, DateTime.UtcNow, new ItemError("c broke", "System.IO.IOException", "WriteError"));
        late.WaitDurable(third);

        late.WaitDurable(first);
        Assert.Equal("b", Assert.Throws<CheckpointLeaseLostException>(() => late.WaitDurable(second)).Key);
        Assert.Equal("a's", taker.ReadSavedOutput("a"));
        Assert.Equal("taker's", taker.ReadSavedOutput("b"));
        Assert.Equal("c broke", taker.ReadError("c")!.Message);
        Assert.Equal("System.IO.IOException", taker.ReadError("c")!.Type);
        Assert.Equal(5.0, _db.Scalar("SELECT duration_ms FROM incrementalps.items WHERE key = 'a'"));
    }

    [Fact]
    public void A_lapsed_lease_that_nobody_took_over_still_accepts_its_owners_result()
    {
        using var slow = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
        Assert.True(slow.TryClaim("k", 1, 0, out var claim));

        Thread.Sleep(ShortLease * 3);
        slow.WaitDurable(slow.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));

        Assert.Equal((short)KeyStatus.Completed, _db.Scalar("SELECT status FROM incrementalps.items"));
    }

    [Fact]
    public void The_heartbeat_keeps_a_workers_lease_alive()
    {
        // Beats far more often than the lease needs: the claim outlives the lease twice over on a busy machine too.
        var lease = TimeSpan.FromSeconds(2);
        using var holder = Open("job", lease, TimeSpan.FromMilliseconds(100));
        using var other = Open("job", Lease);
        Assert.True(holder.TryClaim("k", 1, 0, out var claim));

        Thread.Sleep(lease * 2.5);
        holder.ThrowIfFailed();

        Assert.False(other.TryClaim("k", 1, 0, out _));
        holder.WaitDurable(holder.RecordCompleted(claim, TimeSpan.Zero, DateTime.UtcNow, null));
    }

    [Fact]
    public void A_heartbeat_chosen_to_break_a_deadlock_renews_the_leases_again_instead_of_stopping_the_worker()
    {
        // A claim of another worker locks the item rows in the other order than this worker's heartbeat: PostgreSQL
        // breaks the deadlock by rolling the heartbeat back (40P01), which stopped the worker (a CI run of the
        // SharedStore kill test). Here the other side sets a long deadlock_timeout so that the heartbeat is the one
        // rolled back, as it was there.
        using var holder = Open("job", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.True(holder.TryClaim("a", 1, 0, out _));
        Assert.True(holder.TryClaim("b", 1, 0, out _));

        using (var other = new Npgsql.NpgsqlConnection(_db.ConnectionString))
        {
            other.Open();
            void Run(string sql)
            {
                using var command = new Npgsql.NpgsqlCommand(sql, other);
                command.ExecuteNonQuery();
            }

            Run("SET deadlock_timeout = '30s'");
            Run("BEGIN");
            Run("UPDATE incrementalps.items SET attempts = attempts WHERE key = 'b'");

            // The heartbeat now holds 'a' and waits for 'b'; taking 'a' closes the circle.
            Poll.Until(() => (long)_db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")! > 0);
            Run("UPDATE incrementalps.items SET attempts = attempts WHERE key = 'a'");
            Run("COMMIT");
        }

        Thread.Sleep(500);
        holder.ThrowIfFailed();
    }

    [Fact]
    public void An_item_whose_lease_lapsed_three_times_is_recorded_failed_as_poison_instead_of_run()
    {
        for (var i = 0; i < 3; i++)
        {
            using var dying = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
            Assert.True(dying.TryClaim("k", 1, 0, out _));

            // The worker is gone without a word: its connection closes, its lease is left to lapse.
            Thread.Sleep(ShortLease * 3);
        }

        using var next = Open("job", Lease);
        Assert.False(next.TryClaim("k", 1, 0, out _));

        var error = next.ReadError("k");
        Assert.NotNull(error);
        Assert.Equal("IncrementalPS.PoisonItem", error!.Type);
        Assert.Equal((short)KeyStatus.Failed, _db.Scalar("SELECT status FROM incrementalps.items"));
    }

    [Fact]
    public void A_worker_that_opens_after_a_third_lapse_reports_the_item_poisoned()
    {
        for (var i = 0; i < 3; i++)
        {
            using var dying = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
            Assert.True(dying.TryClaim("k", 1, 0, out _));
            Thread.Sleep(ShortLease * 3);
        }

        using var session = Start("job", Sessions.Options(o => o.Keep = true));
        var ran = false;
        var outcome = session.Process("k", _ => { ran = true; return null; });

        Assert.False(ran);
        Assert.Equal(ItemOutcomeKind.Poisoned, outcome.Kind);
    }

    [Fact]
    public void A_third_lapse_found_by_a_running_worker_is_reported_poisoned_not_skipped()
    {
        // The worker opened before the item ever lapsed: it learns of the third lapse from its claim, not at open.
        using var session = Start("job", Sessions.Options(o => o.Keep = true));
        for (var i = 0; i < 3; i++)
        {
            using var dying = Open("job", ShortLease, Timeout.InfiniteTimeSpan);
            Assert.True(dying.TryClaim("k", 1, 0, out _));
            Thread.Sleep(ShortLease * 3);
        }

        var ran = false;
        var outcome = session.Process("k", _ => { ran = true; return null; });

        Assert.False(ran);
        Assert.Equal(ItemOutcomeKind.Poisoned, outcome.Kind);
        Assert.Equal("IncrementalPS.PoisonItem", outcome.Error?.Type);
        var summary = session.Finish();
        Assert.Equal(1, summary.Failed);
        Assert.Equal(0, summary.Skipped);
    }

    [Fact]
    public void Failed_items_are_skipped_with_their_error_and_run_again_with_RetryFailed()
    {
        using (var first = Start("job", Sessions.Options()))
        {
            first.Fail("f", "it broke");
            Assert.Equal(CheckpointState.Failed, first.Finish().State);
        }

        using (var second = Start("job", Sessions.Options()))
        {
            var skipped = second.Complete("f");
            Assert.Equal(ItemOutcomeKind.SkippedFailed, skipped.Kind);
            Assert.Equal("it broke", skipped.Error!.Message);
            second.Finish();
        }

        using var third = Start("job", Sessions.Options(o => o.RetryFailed = true));
        Assert.Equal(ItemOutcomeKind.Completed, third.Complete("f").Kind);
        Assert.Equal(CheckpointState.Completed, third.Finish().State);
    }

    [Fact]
    public void A_stopped_run_leaves_its_items_unfinished_for_the_next_worker_without_a_death()
    {
        using (var stopped = Open("job", Lease))
        {
            Assert.True(stopped.TryClaim("k", 1, 0, out _));
            stopped.InterruptAll();
        }

        using var next = Open("job", Lease);
        Assert.True(next.TryGet("k", out var entry));
        Assert.Equal(KeyStatus.Interrupted, entry.Status);
        Assert.True(next.TryClaim("k", 2, 0, out _));
        Assert.Equal(0, _db.Scalar("SELECT deaths FROM incrementalps.items"));
    }

    [Fact]
    public void A_complete_checkpoint_is_removed_only_by_the_last_live_worker()
    {
        using var early = Start("job", Sessions.Options());
        using var last = Start("job", Sessions.Options());

        early.Complete("a");
        early.Finish();
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));

        last.Finish();
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
    }

    [Fact]
    public void A_newer_schema_version_is_refused_and_left_unchanged()
    {
        Open("job", Lease).Dispose();
        _db.Scalar("UPDATE incrementalps.schema_version SET version = 99");

        var refused = Assert.Throws<CheckpointSchemaVersionException>(() => Open("job", Lease));

        Assert.Equal(99, refused.SchemaVersion);
        Assert.Equal(PostgresSchema.CurrentVersion, refused.SupportedVersion);
        Assert.Equal(99, _db.Scalar("SELECT version FROM incrementalps.schema_version"));
    }

    [Fact]
    public void Workers_that_start_together_create_the_schema_once()
    {
        var errors = 0;
        var threads = new Thread[4];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() =>
            {
                try
                {
                    Open("job", Lease).Dispose();
                }
                catch (CheckpointException)
                {
                    Interlocked.Increment(ref errors);
                }
            });
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(0, errors);
        Assert.Equal(4, _db.Scalar("SELECT max(run) FROM incrementalps.workers"));
    }

    [Fact]
    public void A_server_that_cannot_be_reached_fails_clearly_without_echoing_the_password()
    {
        var target = PostgresTarget.Parse("Host=127.0.0.1;Port=1;Username=someone;Password=s3cret-pw;Database=x;Timeout=2");

        var error = Assert.Throws<CheckpointServerException>(() => PostgresRunStore.Open(target, "job", Sessions.Options(), Lease));

        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", target.Display, StringComparison.Ordinal);
        Assert.Contains("postgres://someone@127.0.0.1:1/x", error.Message, StringComparison.Ordinal);
    }

    private PostgresRunStore Open(string name, TimeSpan lease, TimeSpan? heartbeat = null)
        => PostgresRunStore.Open(_db.Target, name, Sessions.Options(), lease, heartbeat);

    private CheckpointSession Start(string name, RunOptions options)
        => CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-" + name + ".jsonl")),
            PostgresRunStore.Open(_db.Target, name, options, Lease),
            options);
}
