using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>incps suspend &lt;name&gt;</c>: asks the live run of a checkpoint (every live worker, in a PostgreSQL store) to stop
/// after its items in flight. Returns once asked; the run records those items, ends as Suspended and exits with
/// <see cref="ExitCodes.Suspended"/>. Running the same command again resumes.
/// </summary>
internal sealed class SuspendCommand : Command
{
    private readonly CheckpointTarget _target = new();

    /// <summary>Creates the command.</summary>
    public SuspendCommand()
        : base("suspend", "Ask a checkpoint's live run (or every live worker of a PostgreSQL checkpoint) to stop after the items in flight.\n" +
              "The run records them, starts nothing new and exits with code 4; run the same command again to resume.")
    {
        _target.AddTo(this);
        SetAction(result => CliErrors.Run(() => Execute(result)));
    }

    private int Execute(ParseResult result)
    {
        var location = _target.ResolveRun(result, out var database);
        var hint = _target.Describe(result, location);
        string whom;
        if (database is not null)
        {
            var workers = PostgresSuspend.Place(database, location.Name);
            whom = $"{workers} live worker(s) of '{location.Name}'";
        }
        else
        {
            var owner = SuspendRequest.Place(location);
            whom = owner is null ? $"the run of '{location.Name}'" : $"the run of '{location.Name}' ({owner})";
        }

        CliConsole.Message(
            $"asked {whom} to suspend: it finishes and records its items in flight, starts nothing new, and ends Suspended. " +
            $"Follow it with 'incps status {hint} --watch'; run the job's command again to resume.");
        return ExitCodes.Success;
    }
}
