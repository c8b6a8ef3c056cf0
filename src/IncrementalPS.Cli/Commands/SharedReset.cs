using System;
using System.Collections.Generic;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary><c>incps reset</c> for a checkpoint in a PostgreSQL store.</summary>
internal static class SharedReset
{
    public static int Run(PostgresTarget database, CheckpointLocation location, bool failed, IReadOnlyList<string> keys, bool force, KeyHasher? keyHasher = null)
    {
        if (!failed && keys.Count == 0)
        {
            if (!force && PostgresReset.LiveWorkers(database, location.Name) is int live and > 0)
            {
                // Before asking: the answer to the prompt is not a decision about workers running elsewhere.
                throw new CheckpointInUseException(location.FilePath, live);
            }

            if (!force && (Console.IsInputRedirected || Console.IsErrorRedirected))
            {
                throw new UsageException(
                    $"removing the checkpoint '{location.FilePath}' needs --force when nobody can be asked. " +
                    "To run only the failed items again, use --failed instead.");
            }

            if (!force)
            {
                Console.Error.Write($"incps: remove the checkpoint '{location.FilePath}' and everything it records? [y/N] ");
                var answer = Console.ReadLine()?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    CliConsole.Message("nothing removed.");
                    return ExitCodes.CouldNotRun;
                }
            }

            // Without --force, a worker that joined while the user was asked still stops the removal.
            PostgresReset.Remove(database, location.Name, force);
            CliConsole.Message($"removed the checkpoint '{location.FilePath}'.");
            return ExitCodes.Success;
        }

        if (failed)
        {
            var forgotten = PostgresReset.ForgetFailed(database, location.Name);
            CliConsole.Message($"forgot {forgotten} failed item(s) in '{location.Name}'; the next run processes them again.");
        }

        if (keys.Count > 0)
        {
            var forgotten = PostgresReset.ForgetKeys(database, location.Name, keys, keyHasher);
            KeyResetReport.Print(location.Name, forgotten, keys.Count, sharedStore: true);
        }

        return ExitCodes.Success;
    }
}
