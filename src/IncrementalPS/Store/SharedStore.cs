using System;
using IncrementalPS.Core;

namespace IncrementalPS.Store;

/// <summary>
/// The -Store parameter of every cmdlet: a PostgreSQL store shared by many workers, given as a postgres:// URI or a
/// connection string, or taken from $env:INCREMENTALPS_STORE (as incps does) so that scheduled tasks need no secrets on
/// their command line. Neither: the file store.
/// </summary>
internal static class SharedStore
{
    /// <summary>The environment variable incps reads too.</summary>
    public const string Variable = "INCREMENTALPS_STORE";

    /// <summary>
    /// The store named by <paramref name="store"/>, else by the environment when <paramref name="byName"/> (a -Path
    /// names a file, which no database holds); null for the file store.
    /// </summary>
    /// <exception cref="ArgumentException">The value names no PostgreSQL store (the message never repeats it: it may hold a password).</exception>
    public static PostgresTarget? Resolve(string? store, bool byName)
    {
        if (store is not null)
        {
            if (!PostgresTarget.Names(store))
            {
                throw new ArgumentException(
                    "-Store takes a PostgreSQL store: a postgres://user@host:port/database URI or a connection string (Host=…;Database=…). " +
                    "A checkpoint file outside the store is given with -Path.",
                    nameof(store));
            }

            return Parse(store, nameof(store));
        }

        var fromEnvironment = byName ? Environment.GetEnvironmentVariable(Variable) : null;
        if (string.IsNullOrEmpty(fromEnvironment))
        {
            return null;
        }

        if (!PostgresTarget.Names(fromEnvironment!))
        {
            throw Invalid(
                $"$env:{Variable} names no PostgreSQL store: give it a postgres://user@host:port/database URI or a connection string, " +
                $"or remove it to use the checkpoint files in the store directory ($env:{CheckpointStore.HomeVariable}).",
                Variable,
                null);
        }

        return Parse(fromEnvironment!, Variable);
    }

    private static PostgresTarget Parse(string value, string parameter)
    {
        try
        {
            return PostgresTarget.Parse(value);
        }
        catch (ArgumentException exception)
        {
            throw Invalid(exception.Message, parameter, exception);
        }
    }

    // Named for where the value came from (the parameter or the variable), so that the error's target says what to fix.
    private static ArgumentException Invalid(string message, string source, Exception? inner) => new(message, source, inner);
}
