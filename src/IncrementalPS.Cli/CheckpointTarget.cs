using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// How every command names its checkpoint: a name in the store (<c>--store</c>, default
/// <see cref="CheckpointStore.DefaultDirectory"/>), or an explicit file with <c>--path</c>, exactly as the cmdlets'
/// -Name, -StoreDirectory and -Path do, so both front ends find the same file.
/// </summary>
internal sealed class CheckpointTarget
{
    /// <summary>Creates the name argument and the --path and --store options.</summary>
    public CheckpointTarget()
    {
        Name = new Argument<string?>("name")
        {
            Description = "The checkpoint's name (letters, digits, '.', '_', '-'), kept in the store directory.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Path = new Option<string?>("--path")
        {
            Description = "Use this checkpoint file instead of a name in the store.",
            HelpName = "file",
        };
        Store = new Option<string?>("--store")
        {
            Description = $"The store directory for named checkpoints (default: ${CheckpointStore.HomeVariable}, else the user's data directory), " +
                $"or a PostgreSQL store shared by many workers: postgres://user@host:port/database or a connection string (default: ${DatabaseVariable}).",
            HelpName = "dir|uri",
        };
    }

    /// <summary>The checkpoint's name.</summary>
    /// <summary>The environment variable naming a PostgreSQL store, for scheduled tasks that keep secrets off their command line.</summary>
    public const string DatabaseVariable = "INCREMENTALPS_STORE";

    public Argument<string?> Name { get; }

    /// <summary>An explicit checkpoint file.</summary>
    public Option<string?> Path { get; }

    /// <summary>The store directory.</summary>
    public Option<string?> Store { get; }

    /// <summary>Adds the argument and options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(Name);
        command.Options.Add(Path);
        command.Options.Add(Store);
    }

    /// <summary>The store directory given, or null for the default.</summary>
    public string? StoreDirectory(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(Store);
    }

    /// <summary>True when neither a name nor --path was given.</summary>
    public bool IsEmpty(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(Name) is null && result.GetValue(Path) is null;
    }

    /// <summary>The checkpoint the command line names.</summary>
    /// <exception cref="UsageException">Neither or both of a name and --path, or --store with --path.</exception>
    /// <exception cref="CheckpointNameException">The name is not valid.</exception>
    public CheckpointLocation Resolve(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Database(result) is not null)
        {
            // Every command reads a PostgreSQL store through ResolveRun; this one names a file or a name in a directory.
            throw new UsageException("this command does not work with a PostgreSQL store; give a store directory (--store <dir>) or --path.");
        }

        var name = result.GetValue(Name);
        var path = result.GetValue(Path);
        var store = result.GetValue(Store);
        if (name is not null && path is not null)
        {
            throw new UsageException("give a checkpoint name or --path, not both.");
        }

        if (path is not null)
        {
            if (store is not null)
            {
                throw new UsageException("--store applies to checkpoint names; --path already gives the file.");
            }

            return CheckpointLocation.FromPath(path);
        }

        if (name is null)
        {
            throw new UsageException("name the checkpoint: give its name, or --path <file>.");
        }

        return CheckpointLocation.FromName(name, store);
    }

    /// <summary>How to name the same checkpoint again on a command line, for hints in messages ("thumbs --store /x").</summary>
    /// <summary>
    /// The PostgreSQL store named by --store (a postgres:// URI or a connection string), or by $INCREMENTALPS_STORE when
    /// neither --store nor --path is given; null for the file store.
    /// </summary>
    public PostgresTarget? Database(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var store = result.GetValue(Store);
        var fromEnvironment = store is null && result.GetValue(Path) is null ? Environment.GetEnvironmentVariable(DatabaseVariable) : null;
        if (fromEnvironment is { Length: > 0 } && !PostgresTarget.Names(fromEnvironment))
        {
            throw new UsageException($"${DatabaseVariable} names a PostgreSQL store (postgres://user@host/database or a connection string); for a directory set ${CheckpointStore.HomeVariable}.");
        }

        var value = store ?? (fromEnvironment is { Length: > 0 } ? fromEnvironment : null);
        if (value is null || !PostgresTarget.Names(value))
        {
            return null;
        }

        try
        {
            return PostgresTarget.Parse(value);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>Like <see cref="Resolve"/>, for a command that also works with a PostgreSQL store (<paramref name="database"/>).</summary>
    public CheckpointLocation ResolveRun(ParseResult result, out PostgresTarget? database)
    {
        ArgumentNullException.ThrowIfNull(result);
        database = Database(result);
        if (database is null)
        {
            return Resolve(result);
        }

        if (result.GetValue(Path) is not null)
        {
            throw new UsageException("--path names a checkpoint file; a PostgreSQL store holds checkpoints by name.");
        }

        var name = result.GetValue(Name) ?? throw new UsageException("name the checkpoint in the PostgreSQL store.");
        return PostgresCheckpoint.Locate(database, name);
    }

    public string Describe(ParseResult result, CheckpointLocation location)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(location);
        if (location.InDatabase)
        {
            // Never the given value: it may hold a password. With $INCREMENTALPS_STORE the same command finds it again.
            return result.GetValue(Store) is null ? location.Name : $"{location.Name} --store <the same store>";
        }

        if (result.GetValue(Path) is not null)
        {
            return "--path " + Quote(location.FilePath);
        }

        return result.GetValue(Store) is string store ? $"{location.Name} --store {Quote(store)}" : location.Name;
    }

    private static string Quote(string text) => text.Contains(' ', StringComparison.Ordinal) ? "'" + text + "'" : text;
}
