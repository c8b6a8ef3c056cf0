using System;
using IncrementalPS.Core.Tests.Support;
using Npgsql;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>A server error says what to check: "is the server up" is the wrong advice for a wrong password or database.</summary>
public sealed class ServerErrorAdviceTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_database_that_does_not_exist_is_named_as_the_thing_to_check()
    {
        var missing = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Database = _db.Name + "_missing" }.ConnectionString;

        var error = Assert.Throws<CheckpointServerException>(
            () => PostgresRunStore.Open(PostgresTarget.Parse(missing), "job", Sessions.Options(), TimeSpan.FromSeconds(30)).Dispose());

        Assert.Contains("Check the database name", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("up and reachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_password_points_at_the_password_not_the_network()
    {
        // The throw-away server trusts its one local user, so the server's answer is built as Npgsql builds it.
        var refused = new PostgresException("password authentication failed for user \"worker\"", "FATAL", "FATAL", "28P01");

        var error = new CheckpointServerException("postgres://worker@db:5432/jobs#job", refused);

        Assert.Contains("Check the user name and password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("up and reachable", error.Message, StringComparison.Ordinal);
    }
}
