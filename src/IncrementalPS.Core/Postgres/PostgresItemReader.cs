using System;
using System.Collections.Generic;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>Reads a shared checkpoint's per-key records without joining it (no run, no claim): safe beside live workers.</summary>
internal static class PostgresItemReader
{
    private const string S = PostgresSchema.Name;

    /// <summary>
    /// The checkpoint's items, optionally only those in <paramref name="state"/> and those <paramref name="keyFilter"/>
    /// accepts, ordered by key (the store keeps no order of writing). Claimed and interrupted items are in flight.
    /// </summary>
    /// <exception cref="CheckpointNotFoundException">No checkpoint of that name is in the store.</exception>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static IReadOnlyList<CheckpointItem> Read(PostgresTarget target, string name, ItemState? state = null, Func<string, bool>? keyFilter = null)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var display = target.Display + "#" + name;
        return PostgresInspection.Call(target, display, (connection, version) =>
        {
            if (version == 0 || !Exists(connection, name))
            {
                throw new CheckpointNotFoundException(display);
            }

            // Item states map onto KeyStatus codes: 0 completed, 1 failed, 2 claimed and 3 interrupted are both in flight.
            var filter = state switch
            {
                ItemState.Completed => "AND i.status = 0",
                ItemState.Failed => "AND i.status = 1",
                ItemState.InFlight => "AND i.status >= 2",
                _ => string.Empty,
            };
            using var command = new NpgsqlCommand(
                $"""
                SELECT i.key, i.status, i.attempts, i.deaths, i.finished_at, i.duration_ms, i.output IS NOT NULL,
                       i.error_message, i.error_type, i.error_category
                FROM {S}.items i JOIN {S}.checkpoints c ON c.id = i.checkpoint_id
                WHERE c.name = @n {filter}
                ORDER BY i.key COLLATE "C"
                """,
                connection);
            command.Parameters.AddWithValue("n", name);
            using var reader = command.ExecuteReader();
            var items = new List<CheckpointItem>();
            while (reader.Read())
            {
                var key = reader.GetString(0);
                if (keyFilter is not null && !keyFilter(key))
                {
                    continue;
                }

                var itemState = reader.GetInt16(1) switch
                {
                    0 => ItemState.Completed,
                    1 => ItemState.Failed,
                    _ => ItemState.InFlight,
                };
                var error = itemState == ItemState.Failed && !reader.IsDBNull(7)
                    ? new ItemError(reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9))
                    : null;
                DateTimeOffset? finished = reader.IsDBNull(4) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc));
                TimeSpan? duration = reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(5));
                items.Add(new CheckpointItem(
                    key, itemState, reader.GetInt32(2), error, itemState == ItemState.InFlight ? null : finished,
                    itemState == ItemState.InFlight ? null : duration, reader.GetInt32(3), itemState == ItemState.Completed && reader.GetBoolean(6)));
            }

            return (IReadOnlyList<CheckpointItem>)items;
        });
    }

    private static bool Exists(NpgsqlConnection connection, string name)
    {
        using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {S}.checkpoints WHERE name = @n)", connection);
        command.Parameters.AddWithValue("n", name);
        return (bool)command.ExecuteScalar()!;
    }
}
