using System;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// RunOptions.KeepFor in a PostgreSQL store: at the end of a worker's run, completed items that finished longer ago
/// than that (by the server's clock, which stamped them) are deleted; they run again if they come back. Failed and
/// held items stay.
/// </summary>
internal static class PostgresRetention
{
    private const string S = PostgresSchema.Name;

    /// <summary>Deletes the expired completed items of <paramref name="checkpoint"/>; returns how many.</summary>
    public static int ForgetExpired(NpgsqlConnection connection, long checkpoint, TimeSpan keepFor)
    {
        using var delete = new NpgsqlCommand(
            $"DELETE FROM {S}.items WHERE checkpoint_id = @c AND status = 0 AND finished_at < now() - make_interval(secs => @s)", connection);
        delete.Parameters.AddWithValue("c", checkpoint);
        delete.Parameters.AddWithValue("s", keepFor.TotalSeconds);
        return delete.ExecuteNonQuery();
    }
}
