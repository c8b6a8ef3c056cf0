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
            Description = $"The store directory for named checkpoints (default: ${CheckpointStore.HomeVariable}, else the user's data directory).",
            HelpName = "dir",
        };
    }

    /// <summary>The checkpoint's name.</summary>
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
    public string Describe(ParseResult result, CheckpointLocation location)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(location);
        if (result.GetValue(Path) is not null)
        {
            return "--path " + Quote(location.FilePath);
        }

        return result.GetValue(Store) is string store ? $"{location.Name} --store {Quote(store)}" : location.Name;
    }

    private static string Quote(string text) => text.Contains(' ', StringComparison.Ordinal) ? "'" + text + "'" : text;
}
