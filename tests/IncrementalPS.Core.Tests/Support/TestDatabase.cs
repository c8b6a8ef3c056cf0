using System;
using Npgsql;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>
/// A fresh database on the test PostgreSQL server named by INCREMENTALPS_TEST_PG (started by build.ps1 -Task Test, or by
/// tests/tools/TestPostgres.ps1), dropped on dispose. Without that server the test fails and says how to get one: the
/// PostgreSQL store is never tested against a mock.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    public const string Variable = "INCREMENTALPS_TEST_PG";

    private readonly string _server;

    public TestDatabase()
    {
        _server = Environment.GetEnvironmentVariable(Variable)
            ?? throw new InvalidOperationException(
                $"{Variable} is not set, so there is no PostgreSQL server to test against. Run the tests with " +
                "'./build.ps1 -Task Test' (it starts a throw-away server), or start one with 'dotnet pwsh tests/tools/TestPostgres.ps1' " +
                $"and set {Variable} to the connection string it prints. It needs the server tools (Debian: apt-get install postgresql).");
        Name = "incps_" + Guid.NewGuid().ToString("N").Substring(0, 16);
        Execute($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = Name, Pooling = false }.ConnectionString;
        Target = PostgresTarget.Parse(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public PostgresTarget Target { get; }

    /// <summary>Runs SQL in this database.</summary>
    public object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public void Dispose() => Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    /// <summary>
    /// The transactions committed in this database so far, as the server counts them. Read from the server's own
    /// database, so that reading adds none: a test that bounds a run's transactions counts only the run's.
    /// </summary>
    public long CommittedTransactions()
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", Name);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// <see cref="CommittedTransactions"/> once it stops moving: a backend reports its counts as it ends, a moment after
    /// its client left.
    /// </summary>
    public long SettledCommittedTransactions()
    {
        var last = CommittedTransactions();
        for (var i = 0; i < 20; i++)
        {
            System.Threading.Thread.Sleep(250);
            var now = CommittedTransactions();
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
