using System;
using System.IO;
using System.Text;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>Key hashing, -KeepFor and dropping saved texts in the PostgreSQL store, against a real server.</summary>
public sealed class PostgresPrivacyTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("correct horse battery staple 42");
    private static readonly byte[] s_otherSecret = Encoding.UTF8.GetBytes("another secret, also long enough");
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_hashed_checkpoint_s_rows_hold_none_of_the_clear_keys_and_record_the_check_value()
    {
        using var hasher = new KeyHasher(s_secret);
        MakeHashed(hasher);

        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE key LIKE '%example%'"));
        Assert.Equal(1L, _db.Scalar($"SELECT count(*) FROM incrementalps.items WHERE key = '{hasher.Hash("alice@example.com")}'"));
        Assert.Equal(hasher.Check, _db.Scalar("SELECT key_hash_check FROM incrementalps.checkpoints WHERE name = 'job'"));
    }

    [Fact]
    public void A_hashed_checkpoint_resumes_with_the_secret()
    {
        using (var first = new KeyHasher(s_secret))
        {
            MakeHashed(first);
        }

        using var hasher = new KeyHasher(s_secret);
        using var session = Start("job", Sessions.Options(o => o.KeyHash = hasher));
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete("alice@example.com").Kind);
        Assert.Equal(ItemOutcomeKind.SkippedFailed, session.Complete("bob@example.org").Kind);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("carol@example.net").Kind);
    }

    [Fact]
    public void Joining_a_hashed_checkpoint_without_the_secret_or_with_another_is_refused_and_changes_nothing()
    {
        using var hasher = new KeyHasher(s_secret);
        using var other = new KeyHasher(s_otherSecret);
        MakeHashed(hasher);
        var workers = _db.Scalar("SELECT count(*) FROM incrementalps.workers");

        var none = Assert.Throws<CheckpointKeyHashException>(() => Start("job", Sessions.Options()));
        Assert.Throws<CheckpointKeyHashException>(() => Start("job", Sessions.Options(o => o.KeyHash = other)));

        Assert.Contains("job", none.Message, StringComparison.Ordinal);
        Assert.Equal(workers, _db.Scalar("SELECT count(*) FROM incrementalps.workers"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE key LIKE '%example%'"));
    }

    [Fact]
    public void A_hashed_worker_is_refused_by_a_checkpoint_of_clear_keys()
    {
        using (var session = Start("job", Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("a");
            session.Finish();
        }

        using var hasher = new KeyHasher(s_secret);
        Assert.Throws<CheckpointKeyHashException>(() => Start("job", Sessions.Options(o => o.KeyHash = hasher)));
    }

    [Fact]
    public void Forgetting_clear_keys_hashes_them_with_the_secret_and_refuses_without_it()
    {
        using var hasher = new KeyHasher(s_secret);
        MakeHashed(hasher);

        Assert.Throws<CheckpointKeyHashException>(() => PostgresReset.ForgetKeys(_db.Target, "job", ["alice@example.com"]));
        Assert.Equal(1, PostgresReset.ForgetKeys(_db.Target, "job", ["alice@example.com"], hasher));

        Assert.Equal(0L, _db.Scalar($"SELECT count(*) FROM incrementalps.items WHERE key = '{hasher.Hash("alice@example.com")}'"));
    }

    [Fact]
    public void KeepFor_forgets_completed_items_older_than_it_and_keeps_the_rest()
    {
        using (var session = Start("job", Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("old");
            session.Complete("recent");
            session.Fail("old-failed");
            session.Finish();
        }

        // The server stamped them; moving the stamps back stands in for waiting ten days.
        _db.Scalar("UPDATE incrementalps.items SET finished_at = now() - interval '10 days' WHERE key IN ('old', 'old-failed')");
        _db.Scalar("UPDATE incrementalps.items SET finished_at = now() - interval '3 days' WHERE key = 'recent'");

        using (var session = Start("job", Sessions.Options(o => { o.Keep = true; o.KeepFor = TimeSpan.FromDays(7); })))
        {
            session.Complete("new");
            session.Finish();
        }

        Assert.Equal("new,old-failed,recent", _db.Scalar("SELECT string_agg(key, ',' ORDER BY key) FROM incrementalps.items"));
    }

    [Fact]
    public void Dropping_saved_texts_keeps_states_and_leaves_no_output_or_error_text()
    {
        using (var session = Start("job", Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("a", "output of jane.doe@example.com");
            session.Fail("b", "no mailbox for john.roe@example.com");
            session.Complete("c");
            session.Finish();
        }

        Assert.Equal(2, PostgresReset.DropSavedText(_db.Target, "job"));

        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE output IS NOT NULL OR error_message LIKE '%example%'"));
        Assert.Equal("a:0,b:1,c:0", _db.Scalar("SELECT string_agg(key || ':' || status, ',' ORDER BY key) FROM incrementalps.items"));
        Assert.Equal(SavedTextRemoval.RemovedMessage, _db.Scalar("SELECT error_message FROM incrementalps.items WHERE key = 'b'"));
    }

    [Fact]
    public void Dropping_saved_texts_is_refused_while_a_worker_is_live()
    {
        using var session = Start("job", Sessions.Options(o => o.Keep = true));
        session.Complete("a", "out");

        var refused = Assert.Throws<CheckpointInUseException>(() => PostgresReset.DropSavedText(_db.Target, "job"));
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
        Assert.Equal("out", _db.Scalar("SELECT output FROM incrementalps.items WHERE key = 'a'"));
    }

    private void MakeHashed(KeyHasher hasher)
    {
        using var session = Start("job", Sessions.Options(o => { o.Keep = true; o.KeyHash = hasher; }));
        session.Complete("alice@example.com", "saved");
        session.Fail("bob@example.org");
        session.Finish();
    }

    private CheckpointSession Start(string name, RunOptions options)
        => CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-" + name + ".jsonl")),
            PostgresRunStore.Open(_db.Target, name, options, Lease),
            options);
}
