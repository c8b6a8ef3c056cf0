using System;
using System.Text.RegularExpressions;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// Which PostgreSQL database holds shared checkpoints: from an Npgsql connection string or a postgres:// URI. Its
/// <see cref="Display"/> names the server without credentials, for messages, status and logs.
/// </summary>
internal sealed class PostgresTarget
{
    private PostgresTarget(string connectionString, string display)
    {
        ConnectionString = connectionString;
        Display = display;
    }

    /// <summary>What Npgsql is given; may hold a password: never echo it.</summary>
    public string ConnectionString { get; }

    /// <summary>postgres://user@host:port/database, without the password.</summary>
    public string Display { get; }

    /// <summary>Reads a connection string or a postgres:// (or postgresql://) URI.</summary>
    /// <exception cref="ArgumentException">It is neither (the message never repeats the value: it may hold a password).</exception>
    public static PostgresTarget Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            // No parameter name: the message is shown as it is by both front ends, without a "(Parameter ...)" tail.
            throw new ArgumentException("The PostgreSQL store is empty: give a connection string or a postgres:// URI.");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = IsUri(value) ? FromUri(value) : new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or InvalidOperationException)
        {
            throw new ArgumentException(
                "The PostgreSQL store is not a valid connection string or postgres:// URI (" + ex.GetType().Name + "). " +
                "Example: postgres://user@host:5432/database, with the password in PGPASSWORD or ~/.pgpass.");
        }

        // Npgsql reads PGPASSWORD and the password file itself when the string has no password.
        builder.ApplicationName ??= "IncrementalPS";
        if (builder.MaxAutoPrepare == 0)
        {
            // The same few statements run for every item: prepared once per connection, the server stops planning them.
            builder.MaxAutoPrepare = 16;
        }
        var display = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        return new PostgresTarget(builder.ConnectionString, display);
    }

    /// <summary>Whether <paramref name="value"/> names a PostgreSQL store rather than a checkpoint directory.</summary>
    public static bool Names(string value)
        => IsUri(value) || Regex.IsMatch(value, @"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static bool IsUri(string value)
        => value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
           || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlConnectionStringBuilder FromUri(string value)
    {
        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo.Substring(0, colon));
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo.Substring(colon + 1));
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair.Substring(0, equals));
            builder[name] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(equals + 1));
        }

        return builder;
    }
}
