using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;

namespace IncrementalPS.Bench.Peers;

/// <summary>
/// SQLite in WAL mode, one transaction per item (an upsert of the item's row), at synchronous=NORMAL (a commit reaches
/// the operating system; the WAL is synced at checkpoints) or FULL (the WAL is synced at every commit).
/// Statements are prepared once and reused, and BEGIN/COMMIT are plain statements: SQLite at its fastest per item.
/// </summary>
internal sealed class SqlitePeer : ICheckpointPeer
{
    public const string FileName = "checkpoint.db";

    private readonly bool _full;
    private SqliteConnection? _connection;
    private SqliteCommand? _begin;
    private SqliteCommand? _upsert;
    private SqliteCommand? _commit;
    private SqliteParameter? _key;
    private SqliteParameter? _ms;
    private SqliteParameter? _time;

    public SqlitePeer(bool full) => _full = full;

    public void Open(string directory)
    {
        _connection = Connect(directory);
        Execute(_connection, "PRAGMA journal_mode=WAL;");
        Execute(_connection, _full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        Execute(_connection, "CREATE TABLE items (key TEXT PRIMARY KEY, state TEXT NOT NULL, attempt INTEGER NOT NULL, ms REAL NOT NULL, time TEXT NOT NULL) WITHOUT ROWID;");

        _begin = Prepare(_connection, "BEGIN;");
        _commit = Prepare(_connection, "COMMIT;");
        _upsert = Prepare(_connection, "INSERT INTO items (key, state, attempt, ms, time) VALUES ($key, 'completed', 1, $ms, $time) "
            + "ON CONFLICT (key) DO UPDATE SET state = excluded.state, attempt = items.attempt + 1, ms = excluded.ms, time = excluded.time;");
        _key = _upsert.Parameters.Add("$key", SqliteType.Text);
        _ms = _upsert.Parameters.Add("$ms", SqliteType.Real);
        _time = _upsert.Parameters.Add("$time", SqliteType.Text);
        _key.Value = string.Empty;
        _ms.Value = 0.0;
        _time.Value = string.Empty;
        _upsert.Prepare();
    }

    public void Process(string key)
    {
        var timer = Stopwatch.GetTimestamp();
        _ = key; // the (empty) work
        var ms = Stopwatch.GetElapsedTime(timer).TotalMilliseconds;

        _begin!.ExecuteNonQuery();
        _key!.Value = key;
        _ms!.Value = ms;
        _time!.Value = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        _upsert!.ExecuteNonQuery();
        _commit!.ExecuteNonQuery();
    }

    public void Close() => Dispose();

    public void Dispose()
    {
        _begin?.Dispose();
        _upsert?.Dispose();
        _commit?.Dispose();
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>What a resuming run does: read the keys of the completed items.</summary>
    public static HashSet<string> LoadCompleted(string directory)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        using var connection = Connect(directory);
        using var select = Prepare(connection, "SELECT key FROM items WHERE state = 'completed';");
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            done.Add(reader.GetString(0));
        }

        return done;
    }

    private static SqliteConnection Connect(string directory)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, FileName), Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Prepare(connection, sql);
        command.ExecuteNonQuery();
    }
}
