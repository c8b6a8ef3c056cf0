using System;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// One read of a PostgreSQL store from outside its runs (status, items, the list of checkpoints): opens a connection,
/// refuses a newer schema, and turns every failure of the server into <see cref="CheckpointServerException"/>.
/// </summary>
internal static class PostgresInspection
{
    /// <summary>Calls <paramref name="read"/> with an open connection and the schema's version (0: no schema yet).</summary>
    /// <param name="target">The store.</param>
    /// <param name="what">What is read, for messages ("postgres://u@h:5432/db#name"); never holds a password.</param>
    /// <param name="read">The read.</param>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static T Call<T>(PostgresTarget target, string what, Func<NpgsqlConnection, int, T> read)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        try
        {
            using var connection = new NpgsqlConnection(target.ConnectionString);
            connection.Open();
            var version = PostgresSchema.ReadVersion(connection);
            if (version > PostgresSchema.CurrentVersion)
            {
                throw new CheckpointSchemaVersionException(target.Display, version, PostgresSchema.CurrentVersion);
            }

            return read(connection, version);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new CheckpointServerException(what, ex);
        }
    }
}
