using System;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;

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
    /// names a file, which no database holds); null for the file store. A value that names no PostgreSQL store is a
    /// terminating InvalidStore error (that never repeats the value: it may hold a password); any store in Windows
    /// PowerShell is a terminating StoreNeedsPowerShell7 error.
    /// </summary>
    public static PostgresTarget? Resolve(PSCmdlet cmdlet, string? store, bool byName)
    {
        try
        {
#if NETSTANDARD2_0
            if (store is not null || (byName && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))))
            {
                // The driver is not shipped for .NET Framework: its netstandard2.0 build needs a set of dependencies
                // that Windows PowerShell lacks and that this module could not test.
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new PlatformNotSupportedException(
                        "A PostgreSQL store needs PowerShell 7.4 or later; in Windows PowerShell 5.1 IncrementalPS keeps checkpoints in files only. " +
                        $"Run this command in pwsh, or leave out -Store (and $env:{Variable})."),
                    ErrorIds.StoreNeedsPowerShell7,
                    ErrorCategory.NotImplemented,
                    store is null ? "$env:" + Variable : "-Store"));
            }
#endif
            return Resolve(store, byName);
        }
        catch (InvalidStoreException exception)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.InvalidStore(exception));
            return null;
        }
    }

    private static PostgresTarget? Resolve(string? store, bool byName)
    {
        if (store is not null)
        {
            if (!PostgresTarget.Names(store))
            {
                throw Invalid(
                    "-Store takes a PostgreSQL store: a postgres://user@host:port/database URI or a connection string (Host=…;Database=…). " +
                    "A checkpoint file outside the store is given with -Path.",
                    "-Store",
                    null);
            }

            return Parse(store, "-Store");
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
                "$env:" + Variable,
                null);
        }

        return Parse(fromEnvironment!, "$env:" + Variable);
    }

    private static PostgresTarget Parse(string value, string origin)
    {
        try
        {
            return PostgresTarget.Parse(value);
        }
        catch (ArgumentException exception)
        {
            // The error names its origin as its target: the "(Parameter 'value')" tail would only confuse.
            var message = exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", string.Empty) : exception.Message;
            throw Invalid(message, origin, exception);
        }
    }

    // Named for where the value came from (the parameter or the variable), so that the error's target says what to fix.
    private static InvalidStoreException Invalid(string message, string origin, Exception? inner) => new(message, origin, inner);
}
