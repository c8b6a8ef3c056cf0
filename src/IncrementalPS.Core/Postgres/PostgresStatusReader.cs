using System;
using System.Collections.Generic;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>Reads a shared checkpoint's status without joining it (no run, no claim): safe beside live workers.</summary>
internal static class PostgresStatusReader
{
    private const string S = PostgresSchema.Name;

    // The rate is what all workers finished over the last minute (or since the first live worker started, if later).
    private const double RateWindowSeconds = 60;

    /// <exception cref="CheckpointNotFoundException">No checkpoint of that name is in the store.</exception>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static SharedCheckpointStatus Read(PostgresTarget target, string name)
    {
        var display = target.Display + "#" + name;
        try
        {
            using var connection = new NpgsqlConnection(target.ConnectionString);
            connection.Open();
            var version = PostgresSchema.ReadVersion(connection);
            if (version > PostgresSchema.CurrentVersion)
            {
                throw new CheckpointSchemaVersionException(target.Display, version, PostgresSchema.CurrentVersion);
            }

            using var command = new NpgsqlCommand(
                $"""
                SELECT c.id, c.total, c.last_run,
                       count(i.key) FILTER (WHERE i.status = 0),
                       count(i.key) FILTER (WHERE i.status = 1),
                       count(i.key) FILTER (WHERE i.status >= 2),
                       count(i.key) FILTER (WHERE i.status IN (0, 1) AND i.finished_at > now() - make_interval(secs => @window)),
                       extract(epoch FROM now() - (SELECT min(w.started_at) FROM {S}.workers w WHERE w.checkpoint_id = c.id
                                                   AND w.ended_at IS NULL AND w.heartbeat_at > now() - make_interval(secs => w.lease_seconds)))
                FROM {S}.checkpoints c LEFT JOIN {S}.items i ON i.checkpoint_id = c.id
                WHERE c.name = @n GROUP BY c.id
                """,
                connection);
            command.Parameters.AddWithValue("n", name);
            command.Parameters.AddWithValue("window", RateWindowSeconds);
            long id;
            long? total;
            int runs;
            long completed, failed, inFlight, recent;
            double? liveFor;
            using (var reader = version == 0 ? null : command.ExecuteReader())
            {
                if (reader is null || !reader.Read())
                {
                    throw new CheckpointNotFoundException(display);
                }

                id = reader.GetInt64(0);
                total = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                runs = reader.GetInt32(2);
                completed = reader.GetInt64(3);
                failed = reader.GetInt64(4);
                inFlight = reader.GetInt64(5);
                recent = reader.GetInt64(6);
                liveFor = reader.IsDBNull(7) ? null : Convert.ToDouble(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture);
            }

            // Only while workers are live: a rate of a job nobody runs would promise an ETA nobody keeps.
            double? rate = liveFor is double seconds && seconds > 0 ? recent / Math.Min(RateWindowSeconds, seconds) : null;
            TimeSpan? eta = rate is > 0 && total is long all && all >= completed + failed
                ? TimeSpan.FromSeconds((all - completed - failed) / rate.Value)
                : null;
            return new SharedCheckpointStatus(name, target.Display, completed, failed, inFlight, total, rate, eta, runs, LiveWorkers(connection, id));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new CheckpointServerException(display, ex);
        }
    }

    private static List<SharedWorker> LiveWorkers(NpgsqlConnection connection, long checkpoint)
    {
        using var command = new NpgsqlCommand(
            $"""
            SELECT w.run, w.host, w.pid, w.started_at, w.heartbeat_at,
                   (SELECT count(*) FROM {S}.items i WHERE i.checkpoint_id = w.checkpoint_id AND i.run = w.run AND i.status IN (0, 1))
            FROM {S}.workers w
            WHERE w.checkpoint_id = @c AND w.ended_at IS NULL AND w.heartbeat_at > now() - make_interval(secs => w.lease_seconds)
            ORDER BY w.run
            """,
            connection);
        command.Parameters.AddWithValue("c", checkpoint);
        using var reader = command.ExecuteReader();
        var workers = new List<SharedWorker>();
        while (reader.Read())
        {
            workers.Add(new SharedWorker(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetDateTime(3), reader.GetDateTime(4), reader.GetInt64(5)));
        }

        return workers;
    }
}
