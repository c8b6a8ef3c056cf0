using Npgsql;
using NpgsqlTypes;

namespace IncrementalPS.Core;

/// <summary>
/// Key hashing in a PostgreSQL store: the checkpoint row records the check value of its secret
/// (checkpoints.key_hash_check), set by the worker that creates it, and every later worker and reset by key must bring
/// the same secret (<see cref="KeyHashCheck"/>).
/// </summary>
internal static class PostgresKeyHash
{
    private const string S = PostgresSchema.Name;

    /// <summary>
    /// Records <paramref name="hasher"/>'s check value for a checkpoint no worker joined yet, or checks it against the
    /// recorded one. In the caller's transaction, with the checkpoint's row locked, so that workers starting together
    /// agree: the first records, the others check.
    /// </summary>
    /// <exception cref="CheckpointKeyHashException">The secret (or its absence) does not fit the checkpoint.</exception>
    public static void Settle(NpgsqlConnection connection, long checkpoint, bool isNew, KeyHasher? hasher, string display)
    {
        if (!isNew)
        {
            KeyHashCheck.Verify(Read(connection, checkpoint), hasher, display);
            return;
        }

        using var update = new NpgsqlCommand($"UPDATE {S}.checkpoints SET key_hash_check = @k WHERE id = @c", connection);
        update.Parameters.AddWithValue("k", NpgsqlDbType.Text, (object?)hasher?.Check ?? System.DBNull.Value);
        update.Parameters.AddWithValue("c", checkpoint);
        update.ExecuteNonQuery();
    }

    /// <summary>The recorded check value, or null for a checkpoint of clear keys.</summary>
    public static string? Read(NpgsqlConnection connection, long checkpoint)
    {
        using var select = new NpgsqlCommand($"SELECT key_hash_check FROM {S}.checkpoints WHERE id = @c", connection);
        select.Parameters.AddWithValue("c", checkpoint);
        return select.ExecuteScalar() as string;
    }
}
