using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>Naming a PostgreSQL store: a URI or a connection string, shown everywhere without its password.</summary>
public sealed class PostgresTargetTests
{
    [Fact]
    public void A_uri_gives_the_connection_and_a_display_without_the_password()
    {
        var target = PostgresTarget.Parse("postgres://jobs:s%40cret@db.example.com:5433/ops?sslmode=disable");

        Assert.Equal("postgres://jobs@db.example.com:5433/ops", target.Display);
        Assert.Contains("Password=s@cret", target.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Host=db.example.com", target.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_is_shown_without_its_password()
    {
        var target = PostgresTarget.Parse("Host=127.0.0.1;Port=5432;Username=u;Password=hunter2;Database=d");

        Assert.Equal("postgres://u@127.0.0.1:5432/d", target.Display);
        Assert.DoesNotContain("hunter2", target.Display, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_neither_is_refused_without_repeating_it()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresTarget.Parse("postgres://u:pw-in-here@[bad"));

        Assert.DoesNotContain("pw-in-here", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://h/db", true)]
    [InlineData("postgresql://h/db", true)]
    [InlineData("Host=h;Database=d", true)]
    [InlineData("/var/lib/checkpoints", false)]
    [InlineData("C:\\checkpoints", false)]
    public void Only_a_uri_or_a_connection_string_names_a_PostgreSQL_store(string value, bool names)
        => Assert.Equal(names, PostgresTarget.Names(value));
}
