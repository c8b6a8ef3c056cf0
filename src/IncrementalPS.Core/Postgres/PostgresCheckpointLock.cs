using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// Keeps claims and the removal of their checkpoint apart, in place of a foreign key from items to checkpoints: a claim's
/// transaction holds the checkpoint's lock shared, a removal holds it exclusively and deletes the checkpoint's items
/// itself. A claim that waited for a removal then sees the checkpoint gone, because its claim statement starts after
/// the lock was granted (read committed: a snapshot per statement). Shared holders do not block one another, and the
/// lock lives in the server's lock table, not in the checkpoint's row: no MultiXact per claim.
/// </summary>
/// <remarks>
/// Lock order everywhere: the checkpoint's row first (FOR UPDATE), then this lock, then item rows; a claim's trip takes
/// the lock before it writes any result. A removal can still meet a heartbeat or a result on the item rows it deletes
/// (PostgreSQL then rolls one back): its callers send it again (<see cref="TransientConflict.Retry{T}"/>).
/// </remarks>
internal static class PostgresCheckpointLock
{
    private const string S = PostgresSchema.Name;

    // The two-key form of pg_advisory_xact_lock has its own key space, apart from the one-key locks on keys being
    // claimed and on migrations. Two checkpoints whose ids agree in their low 31 bits share a lock: only a wait.
    private const int Space = 0x496E6350; // "IncP"

    /// <summary>The statement a claim's transaction runs before the claim (parameter <c>@c</c>: the checkpoint's id).</summary>
    public static readonly string TakeShared = $"SELECT pg_advisory_xact_lock_shared({Space}, (@c & 2147483647)::int)";

    /// <summary>Takes the checkpoint's row and then its lock exclusively, for the caller's transaction: claims wait.</summary>
    internal static void TakeExclusive(NpgsqlConnection connection, long checkpoint)
    {
        using var command = new NpgsqlCommand(
            $"SELECT 1 FROM {S}.checkpoints WHERE id = @c FOR UPDATE; SELECT pg_advisory_xact_lock({Space}, (@c & 2147483647)::int)",
            connection);
        command.Parameters.AddWithValue("c", checkpoint);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Removes the checkpoint <paramref name="checkpoint"/> and its items when <paramref name="condition"/> (SQL over its
    /// row <c>c</c>; <c>@r</c> is <paramref name="run"/>) holds, in the caller's transaction; answers the number removed.
    /// </summary>
    public static int Remove(NpgsqlConnection connection, long checkpoint, string condition = "true", int run = 0)
    {
        TakeExclusive(connection, checkpoint);
        using var command = new NpgsqlCommand(
            $"""
            WITH gone AS (DELETE FROM {S}.checkpoints c WHERE c.id = @c AND ({condition}) RETURNING c.id),
            items AS (DELETE FROM {S}.items WHERE checkpoint_id = @c AND EXISTS (SELECT 1 FROM gone))
            SELECT count(*)::int FROM gone
            """,
            connection);
        command.Parameters.AddWithValue("c", checkpoint);
        command.Parameters.AddWithValue("r", run);
        return (int)command.ExecuteScalar()!;
    }
}
