using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// The two errors PostgreSQL asks a client to answer by running the same transaction again: a deadlock it broke by
/// rolling this transaction back, and a serialization failure. Workers meet the first when leases lapse under load:
/// a worker's heartbeat or result and another's claim can lock the same item rows in opposite orders.
/// </summary>
internal static class TransientConflict
{
    /// <summary>How many times a transaction is sent in all before its conflict is reported.</summary>
    public const int MaxAttempts = 5;

    public static bool Is(PostgresException exception) => exception.SqlState is "40P01" or "40001";
}
