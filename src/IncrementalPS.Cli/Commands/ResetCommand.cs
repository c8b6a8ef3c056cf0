using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>incps reset &lt;name&gt; [--failed] [--key k…] [--force]</c>: forgets failed items or given keys so that they
/// run again, or removes the whole checkpoint. Removing asks first on a terminal and needs --force elsewhere;
/// --force also removes a damaged checkpoint, which is the way out of a corrupt file. Refused while a run holds it.
/// </summary>
internal sealed class ResetCommand : Command
{
    private readonly CheckpointTarget _target = new();
    private readonly KeyHashOptions _keyHash = new();
    private readonly Option<bool> _output = new("--output") { Description = "Drop saved output and error texts (which may hold personal data), keeping every item's state." };
    private readonly Option<bool> _failed = new("--failed") { Description = "Forget the failed items, so that the next run processes them again." };
    private readonly Option<string[]> _keys = new("--key")
    {
        Description = "Forget these keys (repeat --key, or list several after it), whatever their state.",
        HelpName = "key",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<bool> _force = new("--force", "-f") { Description = "Remove the whole checkpoint without asking (also a damaged one; in a PostgreSQL store, also while workers are live)." };

    /// <summary>Creates the command.</summary>
    public ResetCommand()
        : base("reset", "Remove a checkpoint, or forget its failed items (--failed) or some keys (--key) so that they run again.")
    {
        _target.AddTo(this);
        Options.Add(_failed);
        Options.Add(_keys);
        Options.Add(_force);
        Options.Add(_output);
        _keyHash.AddTo(this);
        SetAction(result => CliErrors.Run(() => Execute(result)));
    }

    private int Execute(ParseResult result)
    {
        var output = result.GetValue(_output);
        if (output && (result.GetValue(_failed) || result.GetValue(_keys) is { Length: > 0 }))
        {
            throw new UsageException("--output drops saved texts and keeps every item: use it without --failed and --key.");
        }

        if (_keyHash.IsGiven(result) && result.GetValue(_keys) is not { Length: > 0 })
        {
            throw new UsageException("--key-hash says how the keys given with --key are stored: give --key too, or leave --key-hash out.");
        }

        if (_target.Database(result) is { } database)
        {
            var shared = _target.ResolveRun(result, out _);
            if (output)
            {
                var dropped = PostgresReset.DropSavedText(database, shared.Name);
                CliConsole.Message($"dropped the saved output or error text of {dropped} item(s) in '{shared.Name}'; every item keeps its state.");
                return ExitCodes.Success;
            }

            using var sharedHasher = _keyHash.Create(result);
            return SharedReset.Run(database, shared, result.GetValue(_failed), result.GetValue(_keys) ?? Array.Empty<string>(), result.GetValue(_force), sharedHasher);
        }

        var location = _target.Resolve(result);
        if (output)
        {
            var changed = CheckpointReset.DropSavedText(location);
            CliConsole.Message($"dropped the saved output or error text of {changed} item(s) in '{location.Name}'; every item keeps its state.");
            return ExitCodes.Success;
        }

        var failed = result.GetValue(_failed);
        var keys = result.GetValue(_keys) ?? Array.Empty<string>();
        if (!failed && keys.Length == 0)
        {
            return Remove(location, result.GetValue(_force));
        }

        // A missing checkpoint (or a directory in its place) is the engine's to report.
        if (failed)
        {
            var forgotten = CheckpointReset.ResetFailed(location);
            CliConsole.Message($"forgot {forgotten} failed item(s) in '{location.Name}'; the next run processes them again.");
        }

        if (keys.Length > 0)
        {
            using var keyHasher = _keyHash.Create(result);
            var forgotten = CheckpointReset.ResetKeys(location, keys, keyHasher);
            KeyResetReport.Print(location.Name, forgotten, keys.Length, sharedStore: false);
        }

        return ExitCodes.Success;
    }

    private static int Remove(CheckpointLocation location, bool force)
    {
        location.ThrowIfMissing();

        if (!force)
        {
            // Refused before asking, not after: nobody should confirm a removal that is then refused.
            CheckpointReset.EnsureOursBeforeAsking(location);
            if (Console.IsInputRedirected || Console.IsErrorRedirected)
            {
                throw new UsageException(
                    $"removing the checkpoint '{location.FilePath}' needs --force when nobody can be asked. " +
                    "To run only the failed items again, use --failed instead.");
            }

            Console.Error.Write($"incps: remove the checkpoint '{location.FilePath}' and everything it records? [y/N] ");
            var answer = Console.ReadLine()?.Trim();
            if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
            {
                CliConsole.Message("nothing removed.");
                return ExitCodes.CouldNotRun;
            }
        }

        CheckpointReset.Remove(location);
        CliConsole.Message($"removed the checkpoint '{location.FilePath}'.");
        return ExitCodes.Success;
    }
}
