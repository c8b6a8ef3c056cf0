using System;
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

    /// <summary>
    /// Runs <paramref name="transaction"/> (which begins and commits a transaction of its own) again while the server
    /// rolls it back for one of these conflicts, up to <see cref="MaxAttempts"/> times in all.
    /// </summary>
    public static T Retry<T>(Func<T> transaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return transaction();
            }
            catch (PostgresException ex) when (Is(ex) && attempt < MaxAttempts)
            {
                // Rolled back whole: sent again.
            }
        }
    }
}
