using System;
using System.Collections.Generic;
using System.Linq;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>Removes a shared checkpoint, or forgets some of its items, from any machine.</summary>
internal static class PostgresReset
{
    private const string S = PostgresSchema.Name;

    /// <summary>
    /// Removes the checkpoint <paramref name="name"/> and all it records; refused while workers are live (their heartbeat
    /// is recent) unless <paramref name="force"/>.
    /// </summary>
    /// <exception cref="CheckpointNotFoundException">No checkpoint of that name.</exception>
    /// <exception cref="CheckpointInUseException">Workers are live and <paramref name="force"/> is false.</exception>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    public static void Remove(PostgresTarget target, string name, bool force)
        => Call(target, name, connection => TransientConflict.Retry(() =>
        {
            using var transaction = connection.BeginTransaction();
            var (id, live) = Lock(connection, target, name);
            if (live > 0 && !force)
            {
                throw new CheckpointInUseException(target.Display + "#" + name, live);
            }

            PostgresCheckpointLock.Remove(connection, id);
            transaction.Commit();
            return 0;
        }));

    /// <summary>Workers live on the checkpoint now (a heartbeat within their lease).</summary>
    /// <exception cref="CheckpointNotFoundException">No checkpoint of that name.</exception>
    public static int LiveWorkers(PostgresTarget target, string name)
        => Call(target, name, connection =>
        {
            using var transaction = connection.BeginTransaction();
            return Lock(connection, target, name).Live;
        });

    /// <summary>Forgets the failed items (they run again as new). Safe beside live workers: nobody holds a failed item.</summary>
    public static int ForgetFailed(PostgresTarget target, string name)
        => Call(target, name, connection =>
        {
            using var transaction = connection.BeginTransaction();
            var (id, _) = Lock(connection, target, name);
            using var delete = new NpgsqlCommand($"DELETE FROM {S}.items WHERE checkpoint_id = @c AND status = 1", connection);
            delete.Parameters.AddWithValue("c", id);
            var forgotten = delete.ExecuteNonQuery();
            transaction.Commit();
            return forgotten;
        });

    /// <summary>Forgets <paramref name="keys"/>, except those a worker holds right now (its result would be lost).</summary>
    public static int ForgetKeys(PostgresTarget target, string name, IReadOnlyList<string> keys)
        => ForgetKeys(target, name, keys, hasher: null);

    /// <summary>
    /// Forgets the clear <paramref name="keys"/>, hashed with <paramref name="hasher"/> as a run with it stores them
    /// (null: keys are stored as given), except those a worker holds right now.
    /// </summary>
    /// <exception cref="CheckpointKeyHashException">The secret (or its absence) does not fit the checkpoint.</exception>
    public static int ForgetKeys(PostgresTarget target, string name, IReadOnlyList<string> keys, KeyHasher? hasher)
        => Forget(target, name, keys, hasher, keysAsStored: false);

    /// <summary>
    /// Forgets <paramref name="keys"/> as the checkpoint stores them (as its item listing shows them: hashes, for a
    /// checkpoint of hashed keys), except those a worker holds right now. No secret is needed.
    /// </summary>
    public static int ForgetStoredKeys(PostgresTarget target, string name, IReadOnlyList<string> keys)
        => Forget(target, name, keys, hasher: null, keysAsStored: true);

    private static int Forget(PostgresTarget target, string name, IReadOnlyList<string> keys, KeyHasher? hasher, bool keysAsStored)
        => Call(target, name, connection =>
        {
            using var transaction = connection.BeginTransaction();
            var (id, _) = Lock(connection, target, name);
            if (!keysAsStored)
            {
                KeyHashCheck.Verify(PostgresKeyHash.Read(connection, id), hasher, target.Display + "#" + name);
            }

            if (hasher is not null)
            {
                keys = keys.Select(hasher.Hash).ToList();
            }

            using var delete = new NpgsqlCommand(
                $"DELETE FROM {S}.items WHERE checkpoint_id = @c AND key = ANY(@k) AND NOT (status = 2 AND lease_until > now())", connection);
            delete.Parameters.AddWithValue("c", id);
            delete.Parameters.AddWithValue("k", new List<string>(keys).ToArray());
            var forgotten = delete.ExecuteNonQuery();
            transaction.Commit();
            return forgotten;
        });

    /// <summary>
    /// Drops saved output and replaces error messages with <see cref="SavedTextRemoval.RemovedMessage"/> (type and category
    /// stay), keeping every item's state. Refused while workers are live: one finishing an item meanwhile would save new
    /// text. Returns how many items lost text.
    /// </summary>
    /// <exception cref="CheckpointInUseException">Workers are live.</exception>
    public static int DropSavedText(PostgresTarget target, string name)
        => Call(target, name, connection =>
        {
            using var transaction = connection.BeginTransaction();
            var (id, live) = Lock(connection, target, name);
            if (live > 0)
            {
                throw CheckpointInUseException.ForTextRemoval(target.Display + "#" + name, live);
            }

            using var update = new NpgsqlCommand(
                $"""
                UPDATE {S}.items SET output = NULL,
                  error_message = CASE WHEN error_message IS NULL THEN NULL ELSE @removed END
                WHERE checkpoint_id = @c AND (output IS NOT NULL OR error_message IS NOT NULL)
                """,
                connection);
            update.Parameters.AddWithValue("c", id);
            update.Parameters.AddWithValue("removed", SavedTextRemoval.RemovedMessage);
            var changed = update.ExecuteNonQuery();
            transaction.Commit();
            return changed;
        });

    private static (long Id, int Live) Lock(NpgsqlConnection connection, PostgresTarget target, string name)
    {
        var version = PostgresSchema.ReadVersion(connection);
        if (version > PostgresSchema.CurrentVersion)
        {
            throw new CheckpointSchemaVersionException(target.Display, version, PostgresSchema.CurrentVersion);
        }

        if (version == 0)
        {
            throw new CheckpointNotFoundException(target.Display + "#" + name);
        }

        // The row lock keeps a worker from joining while this decides (a joining worker takes it too).
        using var command = new NpgsqlCommand(
            $"""
            SELECT c.id, (SELECT count(*)::int FROM {S}.workers w WHERE w.checkpoint_id = c.id AND w.ended_at IS NULL
                          AND w.heartbeat_at > now() - make_interval(secs => w.lease_seconds))
            FROM {S}.checkpoints c WHERE c.name = @n FOR UPDATE
            """,
            connection);
        command.Parameters.AddWithValue("n", name);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new CheckpointNotFoundException(target.Display + "#" + name);
        }

        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    private static T Call<T>(PostgresTarget target, string name, Func<NpgsqlConnection, T> call)
    {
        try
        {
            using var connection = new NpgsqlConnection(target.ConnectionString);
            connection.Open();
            return call(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new CheckpointServerException(target.Display + "#" + name, ex);
        }
    }
}
