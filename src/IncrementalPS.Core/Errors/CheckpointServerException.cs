using System;
using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// The database server of a shared checkpoint failed or could not be reached. What was committed before is kept; an
/// item in flight was not recorded done and runs again (here or in another worker).
/// </summary>
public sealed class CheckpointServerException : CheckpointException
{
    /// <summary>Creates the error for <paramref name="checkpoint"/> (a display name that never holds a password).</summary>
    public CheckpointServerException(string checkpoint, Exception innerException)
        : base(
            $"The PostgreSQL store of the checkpoint '{checkpoint}' failed: {innerException.Message.TrimEnd().TrimEnd('.')}. " +
            Advice(innerException) + ", then run again: every result committed before is kept, and items in flight run again.",
            checkpoint,
            innerException)
    {
    }

    /// <summary>What to check, by the server's SQLSTATE: "is the server up" is the wrong advice for a wrong password.</summary>
    internal static string Advice(Exception error)
        => (error as PostgresException)?.SqlState switch
        {
            { } state when state.StartsWith("28", StringComparison.Ordinal) =>
                "Check the user name and password (PGPASSWORD, the password file ~/.pgpass or PGPASSFILE, or the connection string)",
            "3D000" => "Check the database name in the store's connection string or URI: that database does not exist",
            "42501" => "Grant the account the permissions docs/postgres.md lists",
            _ => "Check that the server is up and reachable",
        };
}
