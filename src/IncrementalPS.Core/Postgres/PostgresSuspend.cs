using System;
using Npgsql;
using NpgsqlTypes;

namespace IncrementalPS.Core;

/// <summary>
/// Asks every live worker of a checkpoint kept in PostgreSQL to suspend: a time in checkpoints.suspend_requested_at.
/// Each worker reads it with its heartbeat and honours a request made after it joined; a worker that joins later
/// (running the command again) is not bound by it, which is how the checkpoint resumes.
/// </summary>
internal static class PostgresSuspend
{
    private const string S = PostgresSchema.Name;

    /// <summary>Places the request; returns how many live workers it reaches.</summary>
    /// <exception cref="CheckpointNotFoundException">No checkpoint of that name is in the store.</exception>
    /// <exception cref="CheckpointNotRunningException">No worker of the checkpoint is live.</exception>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is older or newer than this build.</exception>
    public static int Place(PostgresTarget target, string name)
    {
        var display = target.Display + "#" + name;
        try
        {
            using var connection = new NpgsqlConnection(target.ConnectionString);
            connection.Open();
            var version = PostgresSchema.ReadVersion(connection);
            if (version == 0)
            {
                throw new CheckpointNotFoundException(display);
            }

            // A store its workers have not upgraded has no request column: upgrading it under them is theirs to do.
            if (version != PostgresSchema.CurrentVersion)
            {
                throw new CheckpointSchemaVersionException(target.Display, version, PostgresSchema.CurrentVersion);
            }

            using var command = new NpgsqlCommand(
                $"""
                WITH live AS (
                    SELECT c.id, count(w.run) AS workers FROM {S}.checkpoints c
                    LEFT JOIN {S}.workers w ON w.checkpoint_id = c.id AND w.ended_at IS NULL
                                           AND w.heartbeat_at > now() - make_interval(secs => w.lease_seconds)
                    WHERE c.name = @n GROUP BY c.id),
                asked AS (
                    UPDATE {S}.checkpoints c SET suspend_requested_at = now() FROM live
                    WHERE c.id = live.id AND live.workers > 0 RETURNING c.id)
                SELECT workers FROM live
                """,
                connection);
            command.Parameters.AddWithValue("n", name);
            var workers = command.ExecuteScalar();
            if (workers is not long count)
            {
                throw new CheckpointNotFoundException(display);
            }

            if (count == 0)
            {
                throw new CheckpointNotRunningException(name, display);
            }

            return (int)count;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new CheckpointServerException(display, ex);
        }
    }

    /// <summary>Whether a request was made for the checkpoint since a worker joined it at <paramref name="joinedAt"/> (server time).</summary>
    public static bool IsRequested(NpgsqlConnection connection, long checkpoint, DateTime joinedAt)
    {
        using var command = new NpgsqlCommand($"SELECT coalesce(suspend_requested_at >= @joined, false) FROM {S}.checkpoints WHERE id = @c", connection);
        command.Parameters.AddWithValue("c", checkpoint);
        command.Parameters.AddWithValue("joined", NpgsqlDbType.TimestampTz, joinedAt);
        return command.ExecuteScalar() is true;
    }

    /// <summary>When the latest request was made, or null when none was.</summary>
    public static DateTime? RequestedAt(NpgsqlConnection connection, string name)
    {
        using var command = new NpgsqlCommand($"SELECT suspend_requested_at FROM {S}.checkpoints WHERE name = @n", connection);
        command.Parameters.AddWithValue("n", name);
        return command.ExecuteScalar() is DateTime at ? at : null;
    }
}
