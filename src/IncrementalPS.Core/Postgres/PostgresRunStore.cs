using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using Npgsql;
using NpgsqlTypes;

namespace IncrementalPS.Core;

/// <summary>
/// A checkpoint in PostgreSQL as a <see cref="IRunStore"/>, shared by many workers at once (processes on one or many
/// machines). Each worker is a run (a row in workers). Before an item runs, its key is claimed atomically with a lease
/// (items.lease_until) and a fencing token from a sequence; a heartbeat renews this worker's leases; a result is
/// committed only while the token is still this worker's, so a worker whose lease lapsed and was taken over cannot
/// overwrite the result of the worker that took the item over. A lease that lapses counts as a death of the item: at
/// <see cref="RunOptions.PoisonThreshold"/> deaths the item is recorded failed (poison) instead of run again.
/// </summary>
/// <remarks>
/// Durability: a result is held until the next round trip (the next claim, or <see cref="WaitDurable"/>) and committed
/// by it, durable when it returns (the server's synchronous_commit decides). <see cref="TryGet"/> answers from the keys
/// as they were when the worker opened the checkpoint plus what this worker did and learned; <see cref="TryClaim"/>
/// asks the server, unless the last trips said that another worker holds or finished the key.
/// Not thread-safe, like every store: the session calls it under its lock; the heartbeat has its own connection.
/// </remarks>
internal sealed partial class PostgresRunStore : IRunStore
{
    private const string S = PostgresSchema.Name;
    private readonly PostgresTarget _target;
    private readonly string _display;
    private readonly NpgsqlConnection _connection;
    private readonly KeyTable _keys = new();
    private readonly HeldKeys _held = new();
    private readonly long _checkpoint;
    private readonly int _run;
    private readonly TimeSpan _lease;
    private readonly int _poisonThreshold;
    private readonly bool _retryFailed;
    private readonly DateTime _openedAt;
    private readonly TimeSpan? _keepFor;
    // The heartbeat is a thread of its own, not a timer: a beat that waits on the server must not pile further beats
    // up on the thread pool (which Npgsql itself needs), and it must keep beating when the pool is busy.
    private readonly Thread? _heartbeat;
    private readonly TimeSpan _heartbeatInterval;
    private readonly ManualResetEventSlim _stopHeartbeat = new();
    private NpgsqlConnection? _heartbeatConnection;
    private ExceptionDispatchInfo? _heartbeatFailure;
    private volatile bool _suspendRequested;
    private long _completed;
    private long _failed;
    private long _inFlight;
    private bool _closed;

    private PostgresRunStore(PostgresTarget target, string name, RunOptions options, TimeSpan lease, TimeSpan heartbeat)
    {
        _target = target;
        _display = target.Display + "#" + name;
        _lease = lease;
        _poisonThreshold = options.PoisonThreshold;
        _retryFailed = options.RetryFailed;
        _keepFor = options.KeepFor;
        _connection = new NpgsqlConnection(target.ConnectionString);
        try
        {
            OpenTuned(_connection);
            PostgresSchema.Ensure(_connection, target.Display);
            (_checkpoint, _run, Opening, _openedAt) = TransientConflict.Retry(() => Join(name, options));
            LoadKeys();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        _heartbeatInterval = heartbeat;
        if (heartbeat != Timeout.InfiniteTimeSpan)
        {
            _heartbeat = new Thread(HeartbeatLoop) { IsBackground = true, Name = "IncrementalPS heartbeat" };
            _heartbeat.Start();
        }
    }

    public StoreOpening Opening { get; }

    public int Keys => _keys.Count;

    public long Completed => _completed;

    public long Failed => _failed;

    public long InFlight => _inFlight;

    /// <summary>Set by the heartbeat, which reads the request with every beat (<see cref="PostgresSuspend"/>).</summary>
    public bool SuspendRequested => _suspendRequested;

    /// <summary>The keys the last claim trip asked for: the one to run, then those claimed ahead or asked about (tests).</summary>
    internal IReadOnlyList<string> LastClaimKeys { get; private set; } = Array.Empty<string>();

    /// <summary>This worker's run number (tests).</summary>
    internal int Run => _run;

    /// <summary>
    /// Joins (or creates) the checkpoint <paramref name="name"/> as a new worker. <paramref name="lease"/> is how long a
    /// claim outlives this worker's last heartbeat; the heartbeat comes every <paramref name="heartbeat"/> (default: a
    /// third of the lease; <see cref="Timeout.InfiniteTimeSpan"/>: never, for tests of a lapse).
    /// </summary>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static PostgresRunStore Open(PostgresTarget target, string name, RunOptions options, TimeSpan lease, TimeSpan? heartbeat = null)
    {
        if (lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), "The lease must be positive.");
        }

        return Call(target.Display + "#" + name, () => new PostgresRunStore(target, name, options, lease, heartbeat ?? TimeSpan.FromTicks(lease.Ticks / 3)));
    }

    public bool TryGet(string key, out KeyEntry entry) => _keys.TryGet(key, out entry);

    public string? CannotHold(string key)
        => key.Contains("\0")
            ? "it has a NUL character, which a PostgreSQL store cannot hold (derive a key without one, or use a key hash, which stores a hash of it instead)"
            : null;

    public bool TryClaim(string key, int attempt, int deaths, out ItemClaim claim)
    {
        claim = default;
        ApplyRefusals();
        if (_reserved.TryGetValue(key, out var reservation))
        {
            _reserved.Remove(key);
            return TryStartReserved(key, reservation, out claim);
        }

        if (TryDeclineLocally(key))
        {
            return false;
        }

        var keys = KeysToClaim(key);
        LastClaimKeys = keys;
        var prefetched = new List<(string Key, PrefetchedKey Known, long Token)>();
        long sent = 0;
        var removed = false;
        var rows = Call(
            () => Carrying(
                batch =>
                {
                    // One trip: the results held since the last one, then the claim, then what other workers claimed since.
                    // The claim decides in one statement, for the key to run now and the next ones a front end foresaw
                    // (claimed ahead, marked reserved): a new key, an interrupted one, a lapsed lease (a death, unless the
                    // claim was only a reservation), or a failed one when retrying failed items that failed before this
                    // worker started (not the failures of its fellow workers). When declined, the same statement says why:
                    // the key's row as it is. A row seen not claimable is declined without the INSERT: ON CONFLICT DO
                    // UPDATE locks the row even when its WHERE then declines, and a lock makes the transaction wait for a
                    // durable commit (a flush) for nothing. A key another worker is claiming right now (its transaction
                    // holds the key's advisory lock until it commits) is declined at once as held, with no row: the INSERT
                    // would wait for that commit. Workers given the same input in the same order would otherwise move in
                    // lockstep, each waiting on the others. Nothing is claimed in a checkpoint removed meanwhile (the
                    // lock Carrying takes first: PostgresCheckpointLock); a row with no key says so.
                    var command = new NpgsqlBatchCommand(ClaimStatement);
                    command.Parameters.AddWithValue("c", _checkpoint);
                    command.Parameters.AddWithValue("r", _run);
                    command.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, keys);
                    command.Parameters.AddWithValue("lease", _lease);
                    command.Parameters.AddWithValue("retry", _retryFailed);
                    command.Parameters.AddWithValue("opened", NpgsqlDbType.TimestampTz, _openedAt);
                    batch.BatchCommands.Add(command);
                    AddPrefetch(batch);
                    sent = Stopwatch.GetTimestamp();
                },
                reader =>
                {
                    removed = false;
                    var answers = new List<ClaimRow>(keys.Length);
                    while (reader.Read())
                    {
                        if (reader.IsDBNull(1))
                        {
                            removed = true;
                            continue;
                        }

                        // The lease lasts this long from when the server ran the statement, which was after it was sent.
                        var heldFor = reader.IsDBNull(10) ? 0 : reader.GetDouble(10);
                        answers.Add(new ClaimRow(
                            reader.GetString(1),
                            reader.GetBoolean(0),
                            reader.GetInt64(2),
                            reader.GetInt32(3),
                            reader.GetInt32(4),
                            Entry(reader.GetInt16(5), reader.GetInt32(6), reader.GetInt32(3), reader.GetInt32(4), reader.GetBoolean(7), reader.GetBoolean(8), reader.GetBoolean(9)),
                            heldFor > 0 ? sent + (long)(heldFor * Stopwatch.Frequency) : 0));
                    }

                    reader.NextResult();
                    prefetched = ReadKnown(reader, sent);
                    return answers;
                }),
            flushFirst: false);
        if (removed)
        {
            throw CheckpointNotFoundException.RemovedWhileRunning(_display);
        }

        ApplyPrefetch(prefetched);

        ClaimRow? row = null;
        foreach (var answer in rows)
        {
            if (answer.Key == key)
            {
                row = answer;
            }
            else if (answer.Taken)
            {
                _reserved[answer.Key] = answer.Token;
                _held.Add(answer.Key);
            }
            else
            {
                // The answer is the newest news of the key: what the keys claimed since said of it before is stale.
                _prefetched.Remove(answer.Key);
                SetKey(answer.Key, answer.Entry);
                KeepHeldUntil(answer);
            }
        }

        TakeUnansweredAsHeld(keys, rows);
        if (row is not { Taken: true } taken)
        {
            // Not this run's to run now. The row says why; none at all means another worker's claim committed after
            // this statement began: held elsewhere, by a worker not known yet.
            SetKey(key, row?.Entry ?? new KeyEntry { Status = KeyStatus.Started, Run = 0 });
            return false;
        }

        return Started(key, taken.Token, taken.Attempts, taken.Deaths, out claim);
    }

    // A key's row, looked up by its primary key for each key of a claim. A plain join left the plan to the statistics,
    // and a worker's plan is made once (generic) and kept: made while items was still empty, it read every row of the
    // checkpoint for each claim (a bitmap scan and a hash join), until autovacuum analysed the table.
    private const string Row = $"SELECT * FROM {S}.items WHERE checkpoint_id = @c AND key = input.k LIMIT 1";

    /// <summary>The claim (TryClaim says what it decides); parameters @c, @r, @keys, @lease, @retry, @opened.</summary>
    internal const string ClaimStatement =
        $"""
        WITH input AS (SELECT u.k, u.n FROM unnest(@keys) WITH ORDINALITY AS u(k, n)),
        seen AS (
            SELECT input.k, CASE WHEN input.n > 1 THEN i.reserved AND i.status = 2 AND i.lease_until < now()
                ELSE i.status = 3 OR (i.status = 2 AND i.lease_until < now()) OR (i.status = 1 AND @retry AND i.finished_at < @opened) END AS claimable
            FROM input CROSS JOIN LATERAL ({Row}) i),
        free AS MATERIALIZED (
            SELECT input.k, input.n FROM input
            WHERE NOT EXISTS (SELECT 1 FROM seen WHERE seen.k = input.k AND NOT seen.claimable)
              AND EXISTS (SELECT 1 FROM {S}.checkpoints WHERE id = @c)
              AND pg_try_advisory_xact_lock(hashtextextended(input.k, @c))),
        claimed AS (
            INSERT INTO {S}.items AS i (checkpoint_id, key, status, run, attempts, deaths, token, lease_until, reserved)
            SELECT @c, free.k, 2, @r, CASE WHEN free.n > 1 THEN 0 ELSE 1 END, 0, nextval('{S}.tokens'), now() + @lease, free.n > 1
            FROM free ORDER BY free.n
            ON CONFLICT (checkpoint_id, key) DO UPDATE SET
                status = 2, run = @r, attempts = i.attempts + excluded.attempts,
                deaths = CASE WHEN i.status = 2 AND NOT i.reserved THEN i.deaths + 1 WHEN i.status = 1 THEN 0 ELSE i.deaths END,
                token = excluded.token, lease_until = excluded.lease_until, reserved = excluded.reserved,
                finished_at = NULL, duration_ms = NULL, output = NULL, error_message = NULL, error_type = NULL, error_category = NULL
            -- Claimed ahead: only a key nobody ever claimed, or a reservation that lapsed (it never ran), so
            -- that letting a reservation go is deleting its row.
            WHERE (NOT excluded.reserved AND (
                   i.status = 3
                OR (i.status = 2 AND i.lease_until < now())
                OR (i.status = 1 AND @retry AND i.finished_at < @opened)))
               OR (excluded.reserved AND i.reserved AND i.status = 2 AND i.lease_until < now())
            RETURNING i.key, token, attempts, deaths)
        SELECT true, key, token, attempts, deaths, 2::smallint, @r, false, false, false, NULL::float8 FROM claimed
        UNION ALL
        SELECT false, i.key, i.token, i.attempts, i.deaths, i.status, i.run, coalesce(i.lease_until < now(), false), i.output IS NOT NULL, i.reserved,
            extract(epoch FROM i.lease_until - clock_timestamp())::float8
        FROM input CROSS JOIN LATERAL ({Row}) i
        WHERE NOT EXISTS (SELECT 1 FROM claimed WHERE claimed.key = input.k)
          AND (EXISTS (SELECT 1 FROM free WHERE free.k = input.k) OR EXISTS (SELECT 1 FROM seen WHERE seen.k = input.k AND NOT seen.claimable))
        UNION ALL
        SELECT false, NULL, 0, 0, 0, 0::smallint, 0, false, false, false, NULL::float8 WHERE NOT EXISTS (SELECT 1 FROM {S}.checkpoints WHERE id = @c)
        """;

    /// <summary>
    /// A foreseen key the claim declined because another worker holds it is declined without a trip when reached, while
    /// that worker's lease surely lasts. The keys claimed since (<see cref="PrefetchedKey"/>) do not always say so: a
    /// claim that committed after this worker's last one, with tokens below the ones this worker took meanwhile, is
    /// never among them; without this, each such key cost a trip of its own when reached.
    /// </summary>
    private void KeepHeldUntil(in ClaimRow answer)
    {
        if (answer.HeldUntil != 0 && answer.Entry.Status == KeyStatus.Started && answer.Entry.Run != _run
            && (_prefetched.Count < MaxPrefetched || _prefetched.ContainsKey(answer.Key)))
        {
            _prefetched[answer.Key] = new PrefetchedKey(answer.Entry, answer.HeldUntil);
        }
    }

    /// <summary>
    /// A foreseen key the claim answered nothing for was being claimed by another worker at that moment (its advisory
    /// lock was taken): taken as held for a moment, so that reaching it does not cost a trip of its own. That worker's
    /// claim comes back with a later trip's keys claimed since (with its lease); if it never does, the key is asked
    /// about when the moment is over, or with the held items at the end of the input.
    /// </summary>
    private void TakeUnansweredAsHeld(string[] keys, List<ClaimRow> rows)
    {
        var until = Stopwatch.GetTimestamp() + (long)(ClaimedElsewhereFor.TotalSeconds * Stopwatch.Frequency);
        for (var i = 1; i < keys.Length; i++)
        {
            if (!rows.Exists(r => r.Key == keys[i]) && !_prefetched.ContainsKey(keys[i]))
            {
                _prefetched[keys[i]] = new PrefetchedKey(new KeyEntry { Status = KeyStatus.Started, Run = 0 }, until);
            }
        }
    }

    /// <summary>The claim of <paramref name="key"/> is this worker's: run it, unless its deaths make it poison.</summary>
    private bool Started(string key, long token, int attempts, int deaths, out ItemClaim claim)
    {
        claim = default;
        if (deaths >= _poisonThreshold)
        {
            // Its lease lapsed once too often while this worker ran: it kills the workers that take it.
            RecordPoisoned(key, attempts, deaths, PoisonError(deaths));
            return false;
        }

        SetKey(key, new KeyEntry { Run = _run, Attempts = attempts, Deaths = deaths, Status = KeyStatus.Started });
        _held.Add(key);
        claim = new ItemClaim(key, attempts, token);
        return true;
    }

    public ItemClaim Reclaim(in ItemClaim claim, int attempt)
    {
        var key = claim.Key;
        var old = claim.Token;
        var token = Call(() =>
        {
            using var command = Command(
                $"UPDATE {S}.items SET token = nextval('{S}.tokens'), attempts = @a, deaths = 0, lease_until = now() + @lease " +
                "WHERE checkpoint_id = @c AND key = @k AND token = @t AND status = 2 RETURNING token");
            command.Parameters.AddWithValue("k", key);
            command.Parameters.AddWithValue("t", old);
            command.Parameters.AddWithValue("a", attempt);
            command.Parameters.AddWithValue("lease", _lease);
            return command.ExecuteScalar();
        });
        if (token is not long next)
        {
            throw LeaseLost(key);
        }

        SetKey(key, new KeyEntry { Run = _run, Attempts = attempt, Status = KeyStatus.Started });
        return new ItemClaim(key, attempt, next);
    }

    public CommitPoint RecordCompleted(in ItemClaim claim, TimeSpan duration, DateTime finished, string? output)
        => Buffer(claim, KeyStatus.Completed, duration, output, error: null);

    public CommitPoint RecordFailed(in ItemClaim claim, TimeSpan duration, DateTime finished, ItemError error)
        => Buffer(claim, KeyStatus.Failed, duration, output: null, error);

    public void RecordInterrupted(in ItemClaim claim, int deaths)
    {
        if (_closed)
        {
            return;
        }

        var key = claim.Key;
        var token = claim.Token;
        var changed = Call(() =>
        {
            // Stopped, not killed: the deaths stay as they are. A claim taken over meanwhile is the other worker's.
            using var command = Command(
                $"UPDATE {S}.items SET status = 3, lease_until = NULL, reserved = false WHERE checkpoint_id = @c AND key = @k AND token = @t AND status = 2");
            command.Parameters.AddWithValue("k", key);
            command.Parameters.AddWithValue("t", token);
            return command.ExecuteNonQuery();
        });
        _held.Remove(key);
        if (changed == 1 && _keys.TryGet(key, out var entry))
        {
            entry.Status = KeyStatus.Interrupted;
            SetKey(key, entry);
        }
    }

    public void InterruptAll()
    {
        var held = _held.Snapshot();
        Call(() =>
        {
            // Keys claimed ahead and never started are let go as if never claimed: they never ran.
            using var command = Command(
                $"DELETE FROM {S}.items WHERE checkpoint_id = @c AND key = ANY(@k) AND run = @r AND status = 2 AND reserved; " +
                $"UPDATE {S}.items SET status = 3, lease_until = NULL WHERE checkpoint_id = @c AND key = ANY(@k) AND run = @r AND status = 2");
            command.Parameters.AddWithValue("k", NpgsqlDbType.Array | NpgsqlDbType.Text, held);
            return command.ExecuteNonQuery();
        });
        _reserved.Clear();
        _held.Clear();

        // The run's end is decided on the checkpoint as all workers left it, not on this worker's snapshot.
        RefreshCounts();
    }

    /// <remarks>The row keeps its deaths: they are not written again.</remarks>
    public void RecordPoisoned(string key, int attempts, int deaths, ItemError error)
    {
        Call(() =>
        {
            using var command = Command(
                $"""
                UPDATE {S}.items SET status = 1, run = @r, attempts = @a, lease_until = NULL, reserved = false, finished_at = now(), duration_ms = 0,
                    error_message = @m, error_type = @et, error_category = @ec
                WHERE checkpoint_id = @c AND key = @k AND (status = 3 OR (status = 2 AND (run = @r OR lease_until < now())))
                """);
            command.Parameters.AddWithValue("k", key);
            command.Parameters.AddWithValue("a", attempts);
            AddError(command, error);
            return command.ExecuteNonQuery();
        });
        _held.Remove(key);
        SetKey(key, new KeyEntry { Run = _run, Attempts = attempts, Status = KeyStatus.Failed });
    }

    public ItemError? ReadError(string key)
        => Call(() =>
        {
            using var command = Command($"SELECT error_message, error_type, error_category FROM {S}.items WHERE checkpoint_id = @c AND key = @k AND status = 1");
            command.Parameters.AddWithValue("k", key);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new ItemError(reader.IsDBNull(0) ? string.Empty : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
                : null;
        });

    public string? ReadSavedOutput(string key)
        => Call(() =>
        {
            using var command = Command($"SELECT output FROM {S}.items WHERE checkpoint_id = @c AND key = @k AND status = 0");
            command.Parameters.AddWithValue("k", key);
            return command.ExecuteScalar() as string;
        });

    public void ThrowIfFailed()
    {
        ApplyRefusals();
        Volatile.Read(ref _heartbeatFailure)?.Throw();
    }

    public void EndRun(string outcome, long seen, long completed, long failed, long skipped)
    {
        Call(() =>
        {
            using var command = Command(
                $"UPDATE {S}.workers SET ended_at = now(), outcome = @o, seen = @seen, completed = @done, failed = @failed, skipped = @skipped " +
                "WHERE checkpoint_id = @c AND run = @r");
            command.Parameters.AddWithValue("o", outcome);
            command.Parameters.AddWithValue("seen", seen);
            command.Parameters.AddWithValue("done", completed);
            command.Parameters.AddWithValue("failed", failed);
            command.Parameters.AddWithValue("skipped", skipped);
            return command.ExecuteNonQuery();
        });
    }

    public bool Close(bool remove, bool compact)
    {
        if (_closed)
        {
            return false;
        }

        _closed = true;
        StopHeartbeat();
        try
        {
            // Results still held are sent before the connection goes: recorded, though nobody waited for them.
            FlushNow();

            if (!remove && compact && _keepFor is TimeSpan keepFor)
            {
                Call(() => PostgresRetention.ForgetExpired(_connection, _checkpoint, keepFor));
            }

            if (remove)
            {
                return Call(() =>
                {
                    // Only the last worker standing removes it, and only when every item is done: a worker that
                    // finished early must not take the record away from the ones still running.
                    return TransientConflict.Retry(() =>
                    {
                        using var transaction = _connection.BeginTransaction();
                        var removed = PostgresCheckpointLock.Remove(
                            _connection,
                            _checkpoint,
                            $"""
                            NOT EXISTS (SELECT 1 FROM {S}.items i WHERE i.checkpoint_id = @c AND i.status <> 0)
                              AND NOT EXISTS (SELECT 1 FROM {S}.workers w WHERE w.checkpoint_id = @c AND w.run <> @r
                                              AND w.ended_at IS NULL AND w.heartbeat_at > now() - make_interval(secs => w.lease_seconds))
                            """,
                            _run);
                        transaction.Commit();
                        return removed;
                    });
                }) > 0;
            }

            return false;
        }
        finally
        {
            _connection.Dispose();
            _stopHeartbeat.Dispose();
        }
    }

    public void Dispose() => Close(remove: false, compact: false);

    /// <summary>A setting of this worker's connection as the server has it (tests).</summary>
    internal string ReadSetting(string name)
        => Call(() =>
        {
            using var command = Command("SELECT current_setting(@n)");
            command.Parameters.AddWithValue("n", name);
            return (string)command.ExecuteScalar()!;
        });

    /// <summary>Stops renewing this worker's leases, as if it had lost the network (tests of a lapse).</summary>
    internal void StopHeartbeat()
    {
        _stopHeartbeat.Set();
        _heartbeat?.Join();
    }

    private (long Checkpoint, int Run, StoreOpening Opening, DateTime OpenedAt) Join(string name, RunOptions options)
    {
        using var transaction = _connection.BeginTransaction();
        if (options.Restart)
        {
            using var find = new NpgsqlCommand($"SELECT id FROM {S}.checkpoints WHERE name = @n", _connection);
            find.Parameters.AddWithValue("n", name);
            if (find.ExecuteScalar() is long old)
            {
                PostgresCheckpointLock.Remove(_connection, old);
            }
        }

        using (var insert = new NpgsqlCommand($"INSERT INTO {S}.checkpoints (name) VALUES (@n) ON CONFLICT (name) DO NOTHING", _connection))
        {
            insert.Parameters.AddWithValue("n", name);
            insert.ExecuteNonQuery();
        }

        long id;
        int lastRun;
        string? fingerprint;
        long? total;
        using (var select = new NpgsqlCommand($"SELECT id, last_run, fingerprint, total FROM {S}.checkpoints WHERE name = @n FOR UPDATE", _connection))
        {
            select.Parameters.AddWithValue("n", name);
            using var reader = select.ExecuteReader();
            reader.Read();
            id = reader.GetInt64(0);
            lastRun = reader.GetInt32(1);
            fingerprint = reader.IsDBNull(2) ? null : reader.GetString(2);
            total = reader.IsDBNull(3) ? null : reader.GetInt64(3);
        }

        PostgresKeyHash.Settle(_connection, id, isNew: lastRun == 0, options.KeyHash, _display);

        var run = lastRun + 1;
        DateTime openedAt;
        using (var update = new NpgsqlCommand(
            $"""
            UPDATE {S}.checkpoints SET last_run = @r, fingerprint = coalesce(@f, fingerprint), total = coalesce(@t, total) WHERE id = @c;
            INSERT INTO {S}.workers (checkpoint_id, run, host, pid, writer, lease_seconds) VALUES (@c, @r, @h, @p, @w, @l);
            SELECT now();
            """,
            _connection))
        {
            update.Parameters.AddWithValue("c", id);
            update.Parameters.AddWithValue("r", run);
            update.Parameters.AddWithValue("f", NpgsqlDbType.Text, (object?)options.Fingerprint ?? DBNull.Value);
            update.Parameters.AddWithValue("t", NpgsqlDbType.Bigint, (object?)options.TotalCount ?? DBNull.Value);
            update.Parameters.AddWithValue("h", Environment.MachineName);
            update.Parameters.AddWithValue("p", CurrentProcessId());
            update.Parameters.AddWithValue("w", options.Writer);
            update.Parameters.AddWithValue("l", _lease.TotalSeconds);
            openedAt = (DateTime)update.ExecuteScalar()!;
        }

        transaction.Commit();
        var isResume = lastRun > 0;
        var opening = new StoreOpening(run, isResume, isResume ? CheckpointState.Interrupted : null, repairedTornRecord: false, fingerprint, total);
        return (id, run, opening, openedAt);
    }

    private void LoadKeys()
    {
        using var command = Command($"SELECT key, status, run, attempts, deaths, lease_until < now(), output IS NOT NULL, token, reserved FROM {S}.items WHERE checkpoint_id = @c");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            SetKey(reader.GetString(0), Entry(reader.GetInt16(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), !reader.IsDBNull(5) && reader.GetBoolean(5), reader.GetBoolean(6), reader.GetBoolean(8)));

            // Claims from here on are learned with this worker's own claims.
            _lastSeenToken = Math.Max(_lastSeenToken, reader.GetInt64(7));
        }
    }

    /// <summary>A key's row as the run logic sees it.</summary>
    private static KeyEntry Entry(short status, int run, int attempts, int deaths, bool lapsed, bool hasOutput, bool reserved)
    {
        var state = (KeyStatus)status;
        if (state == KeyStatus.Started && lapsed)
        {
            // Its worker stopped renewing the lease: it died or lost the server. That is a death of the item, unless
            // the item was only claimed ahead and never started.
            state = KeyStatus.Interrupted;
            deaths += reserved ? 0 : 1;
        }

        return new KeyEntry { Status = state, Run = run, Attempts = attempts, Deaths = deaths, HasOutput = hasOutput };
    }

    private void RefreshCounts()
    {
        var counts = Call(() =>
        {
            using var command = Command(
                $"SELECT count(*) FILTER (WHERE status = 0), count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status >= 2) FROM {S}.items WHERE checkpoint_id = @c");
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        });
        (_completed, _failed, _inFlight) = counts;
    }

    private void HeartbeatLoop()
    {
        try
        {
            while (!_stopHeartbeat.Wait(_heartbeatInterval))
            {
                Heartbeat();
            }
        }
        finally
        {
            _heartbeatConnection?.Dispose();
            _heartbeatConnection = null;
        }
    }

    private void Heartbeat()
    {
        try
        {
            if (_heartbeatConnection is null)
            {
                _heartbeatConnection = new NpgsqlConnection(_target.ConnectionString);
                _heartbeatConnection.Open();
            }

            using var command = new NpgsqlCommand(
                $"UPDATE {S}.items SET lease_until = now() + @lease WHERE checkpoint_id = @c AND key = ANY(@k) AND run = @r AND status = 2; " +
                $"UPDATE {S}.workers SET heartbeat_at = now() WHERE checkpoint_id = @c AND run = @r",
                _heartbeatConnection);
            command.Parameters.AddWithValue("k", NpgsqlDbType.Array | NpgsqlDbType.Text, _held.Snapshot());
            command.Parameters.AddWithValue("c", _checkpoint);
            command.Parameters.AddWithValue("r", _run);
            command.Parameters.AddWithValue("lease", _lease);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    command.ExecuteNonQuery();
                    break;
                }
                catch (PostgresException ex) when (TransientConflict.Is(ex) && attempt < TransientConflict.MaxAttempts)
                {
                    // Chosen to break a deadlock with another worker's claim of a lapsed lease of this worker's: the
                    // renewal was rolled back, and is sent again.
                }
            }

            _suspendRequested |= PostgresSuspend.IsRequested(_heartbeatConnection, _checkpoint, _openedAt);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            // The leases of this worker may lapse: its results may then be refused (the fence), never wrongly kept.
            // It is surfaced before the next item; the next beat tries a new connection.
            _heartbeatConnection?.Dispose();
            _heartbeatConnection = null;
            Volatile.Write(ref _heartbeatFailure, ExceptionDispatchInfo.Capture(new CheckpointServerException(_display, ex)));
        }
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, _connection);
        command.Parameters.AddWithValue("c", _checkpoint);
        command.Parameters.AddWithValue("r", _run);
        return command;
    }

    private void SetKey(string key, in KeyEntry entry)
    {
        var had = _keys.TryGet(key, out var old);
        if (had)
        {
            Count(old.Status, -1);
        }

        _keys.Set(key, entry);
        Count(entry.Status, 1);
    }

    private void Count(KeyStatus status, int delta)
    {
        switch (status)
        {
            case KeyStatus.Completed:
                _completed += delta;
                break;
            case KeyStatus.Failed:
                _failed += delta;
                break;
            default:
                _inFlight += delta;
                break;
        }
    }

    private static void AddError(NpgsqlCommand command, ItemError? error)
    {
        command.Parameters.AddWithValue("m", NpgsqlDbType.Text, (object?)error?.Message ?? DBNull.Value);
        command.Parameters.AddWithValue("et", NpgsqlDbType.Text, (object?)error?.Type ?? DBNull.Value);
        command.Parameters.AddWithValue("ec", NpgsqlDbType.Text, (object?)error?.Category ?? DBNull.Value);
    }

    private static ItemError PoisonError(int deaths)
        => new(
            $"The worker processing this item died or lost the server {deaths} times (its lease lapsed), so it is now recorded as failed " +
            "instead of being run again. Find out why, then retry it with -RetryFailed (incps: --retry-failed).",
            "IncrementalPS.PoisonItem",
            "ProcessDied");

    private static int CurrentProcessId()
    {
        using var process = Process.GetCurrentProcess();
        return process.Id;
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the connection, after the results held for the next trip (in the same trip when
    /// the call sends them itself: <paramref name="flushFirst"/> false), so that nothing overtakes a result.
    /// </summary>
    private T Call<T>(Func<T> call, bool flushFirst = true)
    {
        lock (_wire)
        {
            return Call(_display, () =>
            {
                EnsureConnected();
                if (flushFirst)
                {
                    FlushPending();
                }

                RoundTrips++;
                return call();
            });
        }
    }

    /// <summary>Sends the results held for the next trip now, if any.</summary>
    private void FlushNow()
    {
        lock (_wire)
        {
            Call(_display, () =>
            {
                EnsureConnected();
                FlushPending();
                return 0;
            });
        }
    }

    private void EnsureConnected()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            // A connection the server cut (a restart, the network) is broken for good: a new one goes on where the
            // server is back, or fails with the server's reason.
            _connection.Close();
            OpenTuned(_connection);
        }
    }

    /// <summary>
    /// Opens a worker's connection with generic plans for its statements: the claim's would otherwise be planned again on
    /// every call (their generic plans cost more by the planner's estimate, an array of keys or a token range, than the
    /// custom ones, so the server never keeps one), and under contention those custom plans ran 3.9 ms against 0.12.
    /// A SET, not a startup option: a connection pooler may refuse those. The connection string's own choice stays.
    /// </summary>
    private void OpenTuned(NpgsqlConnection connection)
    {
        connection.Open();
        if (System.Globalization.CultureInfo.InvariantCulture.CompareInfo.IndexOf(_target.ConnectionString, "plan_cache_mode", System.Globalization.CompareOptions.OrdinalIgnoreCase) >= 0)
        {
            return;
        }

        using var set = new NpgsqlCommand("SET plan_cache_mode = force_generic_plan", connection);
        set.ExecuteNonQuery();
    }

    private static T Call<T>(string display, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new CheckpointServerException(display, ex);
        }
    }
}
