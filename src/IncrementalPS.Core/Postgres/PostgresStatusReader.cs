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
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var display = target.Display + "#" + name;
        return PostgresInspection.Call(target, display, (connection, version) =>
            version == 0 ? throw new CheckpointNotFoundException(display) : Read(connection, target, name, version));
    }

    /// <summary>The names of the checkpoints in the store, sorted; none when the store has no schema yet.</summary>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static IReadOnlyList<string> Names(PostgresTarget target)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return PostgresInspection.Call(target, target.Display, (connection, version) => Names(connection, version));
    }

    /// <summary>
    /// Items that live workers other than run <paramref name="run"/> hold now (claimed, lease not lapsed): a joining
    /// worker counts them among the unfinished items at its start, but they are not unfinished, only busy elsewhere.
    /// </summary>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    public static long HeldByOtherWorkers(PostgresTarget target, string name, int run)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return PostgresInspection.Call(target, target.Display + "#" + name, (connection, version) =>
        {
            if (version == 0)
            {
                return 0L;
            }

            using var command = new NpgsqlCommand(
                $"""
                SELECT count(*) FROM {S}.items i JOIN {S}.checkpoints c ON c.id = i.checkpoint_id
                WHERE c.name = @n AND i.status = 2 AND i.run <> @r AND i.lease_until > now()
                """,
                connection);
            command.Parameters.AddWithValue("n", name);
            command.Parameters.AddWithValue("r", run);
            return (long)command.ExecuteScalar()!;
        });
    }

    /// <summary>Every checkpoint in the store, by name; none when the store has no schema yet.</summary>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static IReadOnlyList<SharedCheckpointStatus> List(PostgresTarget target)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        return PostgresInspection.Call(target, target.Display, (connection, version) =>
        {
            var names = Names(connection, version);
            var statuses = new List<SharedCheckpointStatus>(names.Count);
            foreach (var name in names)
            {
                try
                {
                    statuses.Add(Read(connection, target, name, version));
                }
                catch (CheckpointNotFoundException)
                {
                    // Removed between the two reads by a reset or by the last worker of a completed job: not a checkpoint any more.
                }
            }

            return (IReadOnlyList<SharedCheckpointStatus>)statuses;
        });
    }

    private static List<string> Names(NpgsqlConnection connection, int version)
    {
        var names = new List<string>();
        if (version == 0)
        {
            return names;
        }

        using var command = new NpgsqlCommand($"SELECT name FROM {S}.checkpoints ORDER BY name COLLATE \"C\"", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static SharedCheckpointStatus Read(NpgsqlConnection connection, PostgresTarget target, string name, int version)
    {
        const string Live = "w.ended_at IS NULL AND w.heartbeat_at > now() - make_interval(secs => w.lease_seconds)";
        using var command = new NpgsqlCommand(
            $"""
            SELECT c.id, c.total, c.last_run,
                   count(i.key) FILTER (WHERE i.status = 0),
                   count(i.key) FILTER (WHERE i.status = 1),
                   count(i.key) FILTER (WHERE i.status >= 2),
                   count(i.key) FILTER (WHERE i.status IN (0, 1) AND i.finished_at > greatest(now() - make_interval(secs => @window),
                       (SELECT min(w.started_at) FROM {S}.workers w WHERE w.checkpoint_id = c.id AND {Live}))),
                   extract(epoch FROM now() - (SELECT min(w.started_at) FROM {S}.workers w WHERE w.checkpoint_id = c.id AND {Live})),
                   (SELECT max(w.started_at) FROM {S}.workers w WHERE w.checkpoint_id = c.id),
                   greatest(max(i.finished_at), (SELECT max(greatest(w.heartbeat_at, w.ended_at)) FROM {S}.workers w WHERE w.checkpoint_id = c.id)),
                   (SELECT w.outcome FROM {S}.workers w WHERE w.checkpoint_id = c.id AND w.ended_at IS NOT NULL ORDER BY w.ended_at DESC LIMIT 1)
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
        DateTimeOffset? startedAt, updatedAt;
        string? lastOutcome;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new CheckpointNotFoundException(target.Display + "#" + name);
            }

            id = reader.GetInt64(0);
            total = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            runs = reader.GetInt32(2);
            completed = reader.GetInt64(3);
            failed = reader.GetInt64(4);
            inFlight = reader.GetInt64(5);
            recent = reader.GetInt64(6);
            liveFor = reader.IsDBNull(7) ? null : Convert.ToDouble(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture);
            startedAt = reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8));
            updatedAt = reader.IsDBNull(9) ? null : Utc(reader.GetDateTime(9));
            lastOutcome = reader.IsDBNull(10) ? null : reader.GetString(10);
        }

        var workers = LiveWorkers(connection, id);

        // Only while workers are live: a rate of a job nobody runs would promise an ETA nobody keeps.
        double? rate = liveFor is double seconds && seconds > 0 ? recent / Math.Min(RateWindowSeconds, seconds) : null;
        TimeSpan? eta = rate is > 0 && total is long all && all >= completed + failed
            ? TimeSpan.FromSeconds((all - completed - failed) / rate.Value)
            : null;

        // Without a live worker: items left unfinished (or no worker that ended normally) mean it stopped before the end.
        // A job whose last worker ended on a request to suspend stays Suspended until a worker joins again.
        var state = workers.Count > 0 ? CheckpointState.Running
            : lastOutcome == JournalFormat.OutcomeSuspended ? CheckpointState.Suspended
            : inFlight > 0 ? CheckpointState.Interrupted
            : failed > 0 ? CheckpointState.Failed
            : lastOutcome == JournalFormat.OutcomeCompleted ? CheckpointState.Completed
            : CheckpointState.Interrupted;
        return new SharedCheckpointStatus(
            name, target.Display, state, completed, failed, inFlight, total, rate, eta, startedAt, updatedAt, runs, version, workers);
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static List<SharedWorker> LiveWorkers(NpgsqlConnection connection, long checkpoint)
    {
        using var command = new NpgsqlCommand(
            $"""
            SELECT w.run, w.host, w.pid, w.started_at, w.heartbeat_at, w.writer,
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
            workers.Add(new SharedWorker(
                reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), Utc(reader.GetDateTime(3)), Utc(reader.GetDateTime(4)),
                reader.GetString(5), reader.GetInt64(6)));
        }

        return workers;
    }
}
