using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.ExceptionServices;
using Npgsql;
using NpgsqlTypes;

namespace IncrementalPS.Core;

/// <content>
/// Round trips. A result is held (<see cref="PendingResult"/>) until the next trip to the server, and goes with it:
/// the claim of the next item, or the wait of <see cref="WaitDurable"/>; a batch is one implicit transaction, so the
/// results and the claim commit together, one commit per trip. Each claim also brings back the keys other workers
/// claimed since the last one (<see cref="PrefetchedKey"/>): this worker declines those without a trip per key. And
/// the items held elsewhere are re-read all at once (<see cref="Refresh"/>), not one trip each.
/// </content>
internal sealed partial class PostgresRunStore : IDurableLog
{
    // Bounds the keys learned ahead of time: a worker far behind the others must not hold their whole input.
    private const int MaxPrefetched = 65_536;
    private const int PrefetchBatch = 256;
    private const int RefreshBatch = 1_000;

    // Guards the connection and the results in flight to it: WaitDurable comes without the session's lock.
    private readonly object _wire = new();
    private readonly List<PendingResult> _pending = new();
    private readonly Dictionary<long, string> _refused = new();
    private readonly List<string> _refusedKeys = new();
    private readonly Dictionary<string, PrefetchedKey> _prefetched = new(StringComparer.Ordinal);
    private long _recorded;
    private long _committed;
    private ExceptionDispatchInfo? _pendingFailure;
    private long _lastSeenToken;

    /// <summary>The newest claim token the keys-claimed-since query has passed (tests).</summary>
    internal long LastSeenToken => _lastSeenToken;

    /// <summary>Round trips to the server for items so far (tests and the bench; the heartbeat's are not counted).</summary>
    internal long RoundTrips { get; private set; }

    public void WaitDurable(in CommitPoint point)
    {
        if (point.Log is null)
        {
            return;
        }

        MakeDurable(point.End);
    }

    /// <summary>Commits every result up to <paramref name="end"/> (one trip, unless a claim carried them already).</summary>
    /// <exception cref="CheckpointLeaseLostException">The fence refused the result at <paramref name="end"/>.</exception>
    public void MakeDurable(long end)
    {
        lock (_wire)
        {
            if (end > _committed && _pendingFailure is null)
            {
                FlushNow();
            }

            if (end > _committed)
            {
                // The trip that carried it failed: nothing after the last commit is recorded.
                _pendingFailure!.Throw();
            }

            if (_refused.TryGetValue(end, out var key))
            {
                _refused.Remove(end);

                throw LeaseLost(key);
            }
        }
    }

    /// <summary>
    /// The error for a claim of <paramref name="key"/> the fence refused: another worker took it over, or the whole
    /// checkpoint went (a forced reset), whose row went with it. Asks the server which (a refusal is rare).
    /// </summary>
    private CheckpointException LeaseLost(string key)
        => Call(() =>
        {
            using var command = Command($"SELECT EXISTS (SELECT 1 FROM {S}.checkpoints WHERE id = @c)");
            return (bool)command.ExecuteScalar()!;
        })
            ? new CheckpointLeaseLostException(_display, key)
            : CheckpointNotFoundException.RemovedWhileRunning(_display);

    /// <summary>
    /// Re-reads <paramref name="keys"/> (items other workers held) in as few trips as it can, so that
    /// <see cref="TryGet"/> says where each stands and a claim of one still held is declined without a trip.
    /// </summary>
    public void Refresh(IReadOnlyCollection<string> keys)
    {
        var chunk = new List<string>(Math.Min(keys.Count, RefreshBatch));
        foreach (var key in keys)
        {
            chunk.Add(key);
            if (chunk.Count == RefreshBatch)
            {
                RefreshChunk(chunk);
                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            RefreshChunk(chunk);
        }
    }

    private void RefreshChunk(List<string> keys)
    {
        var rows = Call(() =>
        {
            using var command = Command(
                $"SELECT {KnownColumns} FROM {S}.items WHERE checkpoint_id = @c AND key = ANY(@keys)");
            command.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, keys.ToArray());
            var sent = Stopwatch.GetTimestamp();
            using var reader = command.ExecuteReader();
            return ReadKnown(reader, sent);
        });
        foreach (var row in rows)
        {
            SetKey(row.Key, row.Known.Entry);
            if (row.Known.Entry.Status == KeyStatus.Started && row.Known.Entry.Run != _run)
            {
                _prefetched[row.Key] = row.Known;
            }
        }
    }

    /// <summary>
    /// Declines the claim of a key another worker claimed since this one opened, from what the last trips brought,
    /// when the server would decline it too: done, failed (unless retrying failed items), or held under a lease that
    /// cannot have lapsed yet. Otherwise the server decides.
    /// </summary>
    private bool TryDeclineLocally(string key)
    {
        if (!_prefetched.TryGetValue(key, out var known))
        {
            return false;
        }

        _prefetched.Remove(key);
        var entry = known.Entry;
        var declined = entry.Status switch
        {
            KeyStatus.Completed => true,
            KeyStatus.Failed => !_retryFailed,
            KeyStatus.Started => entry.Run != _run && Stopwatch.GetTimestamp() < known.HeldUntil,
            _ => false,
        };
        if (declined)
        {
            SetKey(key, entry);
        }

        return declined;
    }

    private CommitPoint Buffer(in ItemClaim claim, KeyStatus status, TimeSpan duration, string? output, ItemError? error)
    {
        long sequence;
        _lastDuration = duration;
        lock (_wire)
        {
            sequence = ++_recorded;
            _pending.Add(new PendingResult(sequence, claim, status, duration.TotalMilliseconds, output, error));
        }

        // Known done by this run from here on (a repeated key is a duplicate); a refused result is set back before the
        // next item (ApplyRefusals).
        SetKey(claim.Key, new KeyEntry { Run = _run, Attempts = claim.Attempt, Status = status, HasOutput = output is not null });
        return new CommitPoint(this, sequence);
    }

    /// <summary>The results the fence refused since the last call are in flight no more: set them back. Under the session's lock.</summary>
    private void ApplyRefusals()
    {
        lock (_wire)
        {
            foreach (var key in _refusedKeys)
            {
                _keys.TryGet(key, out var stale);
                stale.Status = KeyStatus.Interrupted;
                SetKey(key, stale);
            }

            _refusedKeys.Clear();
        }
    }

    /// <summary>
    /// The held results as the data-modifying CTE <c>result</c>, which returns the tokens of those it stored; the
    /// parameters go to <paramref name="parameters"/>, except <c>@c</c> (the caller's). Under <c>_wire</c>.
    /// </summary>
    private string ResultsCte(NpgsqlParameterCollection parameters)
    {
        // The fence: only the holder of the current token records a result; a result the fence refused is not returned.
        // No column an index covers changes, so the new row version stays on its page (HOT). The keys are named to the
        // index (key = ANY), so that a plan made while items was small does not read the whole checkpoint.
        const string Set = "status = r.s, lease_until = NULL, finished_at = now(), duration_ms = r.d, output = r.o, " +
            "error_message = r.m, error_type = r.et, error_category = r.ec";
        if (_pending.Count == 1)
        {
            var result = _pending[0];
            parameters.AddWithValue("rk", result.Key);
            parameters.AddWithValue("rt", result.Token);
            parameters.AddWithValue("rs", (short)result.Status);
            parameters.AddWithValue("rd", result.DurationMs);
            parameters.AddWithValue("ro", NpgsqlDbType.Text, (object?)result.Output ?? DBNull.Value);
            parameters.AddWithValue("rm", NpgsqlDbType.Text, (object?)result.Error?.Message ?? DBNull.Value);
            parameters.AddWithValue("ret", NpgsqlDbType.Text, (object?)result.Error?.Type ?? DBNull.Value);
            parameters.AddWithValue("rec", NpgsqlDbType.Text, (object?)result.Error?.Category ?? DBNull.Value);
            return $"""
                result AS (
                    UPDATE {S}.items i SET {Set}
                    FROM (SELECT @rk AS k, @rt AS t, @rs AS s, @rd AS d, @ro AS o, @rm AS m, @ret AS et, @rec AS ec) r
                    WHERE i.checkpoint_id = @c AND i.key = r.k AND i.token = r.t AND i.status = 2
                    RETURNING i.token)
                """;
        }

        parameters.AddWithValue("rk", NpgsqlDbType.Array | NpgsqlDbType.Text, _pending.Select(r => r.Key).ToArray());
        parameters.AddWithValue("rt", NpgsqlDbType.Array | NpgsqlDbType.Bigint, _pending.Select(r => r.Token).ToArray());
        parameters.AddWithValue("rs", NpgsqlDbType.Array | NpgsqlDbType.Smallint, _pending.Select(r => (short)r.Status).ToArray());
        parameters.AddWithValue("rd", NpgsqlDbType.Array | NpgsqlDbType.Double, _pending.Select(r => r.DurationMs).ToArray());
        parameters.AddWithValue("ro", NpgsqlDbType.Array | NpgsqlDbType.Text, _pending.Select(r => r.Output).ToArray());
        parameters.AddWithValue("rm", NpgsqlDbType.Array | NpgsqlDbType.Text, _pending.Select(r => r.Error?.Message).ToArray());
        parameters.AddWithValue("ret", NpgsqlDbType.Array | NpgsqlDbType.Text, _pending.Select(r => r.Error?.Type).ToArray());
        parameters.AddWithValue("rec", NpgsqlDbType.Array | NpgsqlDbType.Text, _pending.Select(r => r.Error?.Category).ToArray());
        return $"""
            result AS (
                UPDATE {S}.items i SET {Set}
                FROM unnest(@rk, @rt, @rs, @rd, @ro, @rm, @ret, @rec) AS r(k, t, s, d, o, m, et, ec)
                WHERE i.checkpoint_id = @c AND i.key = ANY(@rk) AND i.key = r.k AND i.token = r.t AND i.status = 2
                RETURNING i.token)
            """;
    }

    /// <summary>The held results among the first <paramref name="count"/> whose token the server did not return as stored.</summary>
    private List<PendingResult>? Refused(int count, long[]? stored)
    {
        List<PendingResult>? refused = null;
        for (var i = 0; i < count; i++)
        {
            var result = _pending[i];
            if (stored is null || Array.IndexOf(stored, result.Token) < 0)
            {
                // Its lease lapsed and another worker took the item over: that worker's result is the one kept.
                (refused ??= new List<PendingResult>()).Add(result);
            }
        }

        return refused;
    }

    /// <summary>The trip that carried the held results committed: they are durable now. Under <c>_wire</c>.</summary>
    private void CommitPending(int count, List<PendingResult>? refused)
    {
        if (count == 0)
        {
            return;
        }

        foreach (var result in refused ?? [])
        {
            _refused[result.Sequence] = result.Key;
            _refusedKeys.Add(result.Key);
        }

        for (var i = 0; i < count; i++)
        {
            // Recorded, or another worker's now: not this worker's to renew either way.
            _held.Remove(_pending[i].Key);
        }

        _committed = _pending[count - 1].Sequence;
        _pending.RemoveRange(0, count);
    }

    /// <summary>The trip that carried the held results failed: none of them is recorded, and each waiter is told.</summary>
    private void FailPending(int count, Exception failure)
    {
        if (count > 0)
        {
            _pendingFailure ??= ExceptionDispatchInfo.Capture(new CheckpointServerException(_display, failure));
        }
    }

    /// <summary>Sends the held results on their own. Under <c>_wire</c>, with the connection open.</summary>
    private void FlushPending()
    {
        if (_pending.Count == 0 || _pendingFailure is not null)
        {
            return;
        }

        RoundTrips++;
        CarryingInOne(string.Empty, string.Empty, _ => { }, _ => 0);
    }

    /// <summary>
    /// A claim's trip, one transaction: the checkpoint's lock shared (<see cref="PostgresCheckpointLock"/>), the results
    /// held for the next trip, then the statements <paramref name="add"/> puts in the batch, whose answers
    /// <paramref name="read"/> reads. The lock comes first: a removal holding it exclusively deletes item rows, and
    /// results written before waiting for it would hold some of those rows (a deadlock). Under <c>_wire</c>, with the
    /// connection open.
    /// </summary>
    private T Carrying<T>(Action<NpgsqlBatch> add, Func<NpgsqlDataReader, T> read)
        => Trip(
            batch =>
            {
                var shared = new NpgsqlBatchCommand(PostgresCheckpointLock.TakeShared);
                shared.Parameters.AddWithValue("c", _checkpoint);
                batch.BatchCommands.Add(shared);
                if (_pending.Count > 0)
                {
                    var results = new NpgsqlBatchCommand();
                    results.CommandText = $"WITH {ResultsCte(results.Parameters)} SELECT array_agg(token) FROM result";
                    results.Parameters.AddWithValue("c", _checkpoint);
                    batch.BatchCommands.Add(results);
                }

                add(batch);
            },
            reader =>
            {
                reader.NextResult();
                long[]? stored = null;
                if (_pending.Count > 0)
                {
                    stored = ReadStored(reader);
                    reader.NextResult();
                }

                return (stored, read(reader));
            });

    /// <summary>
    /// One trip of ONE statement: the held results' CTE, then <paramref name="ctes"/>, then a row of the stored results'
    /// tokens followed by <paramref name="columns"/>, which <paramref name="read"/> reads (from column 1, the row read).
    /// Npgsql writes every statement of a batch after the first on another thread, a wake-up per trip: one statement is
    /// written by the calling thread. Under <c>_wire</c>, with the connection open.
    /// </summary>
    private T CarryingInOne<T>(string ctes, string columns, Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, T> read)
        => Trip(
            batch =>
            {
                var command = new NpgsqlBatchCommand();
                var with = new List<string>(2);
                if (_pending.Count > 0)
                {
                    with.Add(ResultsCte(command.Parameters));
                }

                if (ctes.Length > 0)
                {
                    with.Add(ctes);
                }

                command.CommandText = (with.Count > 0 ? "WITH " + string.Join(",\n", with) + "\n" : string.Empty) +
                    "SELECT " + (_pending.Count > 0 ? "(SELECT array_agg(token) FROM result)" : "NULL::bigint[]") +
                    (columns.Length > 0 ? ", " + columns : string.Empty);
                command.Parameters.AddWithValue("c", _checkpoint);
                parameters(command.Parameters);
                batch.BatchCommands.Add(command);
            },
            reader =>
            {
                var stored = ReadStored(reader);
                return (stored, read(reader));
            });

    /// <summary>Reads the row of a results statement: the tokens of the results the fence let through.</summary>
    private static long[]? ReadStored(NpgsqlDataReader reader)
    {
        reader.Read();
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<long[]>(0);
    }

    /// <summary>
    /// Sends the trip <paramref name="build"/> makes and reads it with <paramref name="read"/>, which also answers the
    /// stored results' tokens. The held results are durable once it returns; if the trip fails, none of them is, and
    /// each waiter is told.
    /// </summary>
    private T Trip<T>(Action<NpgsqlBatch> build, Func<NpgsqlDataReader, (long[]? Stored, T Answer)> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var batch = new NpgsqlBatch(_connection);
            var count = _pending.Count;
            build(batch);
            T answer;
            List<PendingResult>? refused;
            try
            {
                using var reader = batch.ExecuteReader();
                (var stored, answer) = read(reader);
                refused = Refused(count, stored);
            }
            catch (PostgresException ex) when (TransientConflict.Is(ex) && attempt < TransientConflict.MaxAttempts)
            {
                // The server rolled this trip's transaction back to break a deadlock with another worker's: all of it,
                // so the same trip is sent again, results and all; what it read is read again.
                continue;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
            {
                FailPending(count, ex);
                throw;
            }

            CommitPending(count, refused);
            return answer;
        }
    }

    /// <summary>Adds the query for keys other workers claimed since the last one seen.</summary>
    private void AddPrefetch(NpgsqlBatch batch)
    {
        var command = new NpgsqlBatchCommand(
            $"SELECT {KnownColumns} FROM {S}.items WHERE checkpoint_id = @c AND token > @since ORDER BY token LIMIT {PrefetchBatch}");
        command.Parameters.AddWithValue("c", _checkpoint);
        command.Parameters.AddWithValue("since", _lastSeenToken);
        batch.BatchCommands.Add(command);
    }

    private void ApplyPrefetch(List<(string Key, PrefetchedKey Known, long Token)> rows)
    {
        foreach (var row in rows)
        {
            // This worker's own claims come back too (once each): skipping them in the query instead would leave the
            // mark behind them, and every later query would scan them all again.
            _lastSeenToken = Math.Max(_lastSeenToken, row.Token);
            if (row.Known.Entry.Run == _run)
            {
                continue;
            }

            if (_prefetched.Count < MaxPrefetched || _prefetched.ContainsKey(row.Key))
            {
                _prefetched[row.Key] = row.Known;
            }
        }
    }

    // What a worker needs to know of a key it did not claim: its entry, its token, and how long its lease surely lasts.
    private const string KnownColumns =
        "key, status, run, attempts, deaths, lease_until < now(), output IS NOT NULL, token, " +
        "extract(epoch FROM lease_until - clock_timestamp())::float8, reserved";

    /// <summary>Reads rows of <see cref="KnownColumns"/>; <paramref name="sent"/> is when the statement was sent.</summary>
    private static List<(string Key, PrefetchedKey Known, long Token)> ReadKnown(NpgsqlDataReader reader, long sent)
    {
        var rows = new List<(string, PrefetchedKey, long)>();
        while (reader.Read())
        {
            var entry = Entry(reader.GetInt16(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), !reader.IsDBNull(5) && reader.GetBoolean(5), reader.GetBoolean(6), reader.GetBoolean(9));

            // The lease lasts this long from when the server ran the statement, which was after it was sent.
            var heldFor = reader.IsDBNull(8) ? 0 : Math.Max(0, reader.GetDouble(8));
            rows.Add((reader.GetString(0), new PrefetchedKey(entry, sent + (long)(heldFor * Stopwatch.Frequency)), reader.GetInt64(7)));
        }

        return rows;
    }
}
