using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Commands;
using IncrementalPS.Core;

namespace IncrementalPS.Store;

/// <summary>
/// Reset-Checkpoint for a checkpoint in a PostgreSQL store: the same questions as for a file, but "in use" means live
/// workers on any machine (a heartbeat within their lease), and -Force removes it even then.
/// </summary>
internal sealed class SharedCheckpointReset
{
    private readonly ResetCheckpointCommand _command;
    private readonly PostgresTarget _database;

    public SharedCheckpointReset(ResetCheckpointCommand command, PostgresTarget database)
    {
        _command = command;
        _database = database;
    }

    /// <exception cref="CheckpointNotFoundException">No checkpoint of that name in the store.</exception>
    /// <exception cref="CheckpointInUseException">Removing it while workers are live, without -Force.</exception>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    public void Reset(CheckpointLocation location, bool failed, IReadOnlyList<string>? keys, bool keysAsStored, bool output, KeyHasher? keyHasher, bool force)
    {
        if (failed)
        {
            // Safe beside live workers: nobody holds a failed item.
            if (_command.Approve(location, "Forget the failed items so that the next run processes them again"))
            {
                var count = PostgresReset.ForgetFailed(_database, location.Name);
                _command.WriteVerbose(Format("Forgot {0} failed item(s) in checkpoint '{1}'.", count, location.Name));
            }

            return;
        }

        if (keys is not null)
        {
            if (_command.Approve(location, Format("Forget {0} key(s) so that the next run processes them again", keys.Count)))
            {
                var count = keysAsStored
                    ? PostgresReset.ForgetStoredKeys(_database, location.Name, keys)
                    : PostgresReset.ForgetKeys(_database, location.Name, AsStored(keys), keyHasher);
                _command.WriteVerbose(Format("Forgot {0} of {1} key(s) in checkpoint '{2}'.", count, keys.Count, location.Name));
                if (count < keys.Count)
                {
                    _command.WriteWarning(Format(
                        "{0} of the {1} key(s) given were not forgotten in checkpoint '{2}': they are not in it (keys are exact and " +
                        "case-sensitive), or a live worker holds them now. See them with 'Get-CheckpointItem {2}'.",
                        keys.Count - count,
                        keys.Count,
                        location.Name));
                }
            }

            return;
        }

        if (output)
        {
            // The store refuses it while workers are live: one finishing an item meanwhile would save new text.
            if (_command.Approve(location, "Drop the saved output and error texts, keeping every item's state"))
            {
                var count = PostgresReset.DropSavedText(_database, location.Name);
                _command.WriteVerbose(Format("Dropped the saved text of {0} item(s) in checkpoint '{1}'.", count, location.Name));
            }

            return;
        }

        // Checked before asking, so that nobody confirms a removal that is then refused; the store checks again.
        var status = PostgresStatusReader.Read(_database, location.Name);
        if (status.LiveWorkers.Count > 0 && !force)
        {
            throw new CheckpointInUseException(location.FilePath, status.LiveWorkers.Count);
        }

        if (!_command.Approve(location, "Remove the checkpoint"))
        {
            return;
        }

        if (!force && (status.Completed > 0 || status.Failed > 0 || status.InFlight > 0))
        {
            var query = Format(
                "Checkpoint '{0}' is {1}: {2} completed, {3} failed, {4} unfinished. Without it the next run starts from the first item. Remove it?",
                location.Name,
                status.State,
                status.Completed,
                status.Failed,
                status.InFlight);
            if (!_command.AskToRemove(query, location.FilePath))
            {
                return;
            }
        }

        // Without -Force, a worker that joined meanwhile still stops the removal.
        PostgresReset.Remove(_database, location.Name, force);
        _command.WriteVerbose(Format("Removed checkpoint '{0}'.", location.Name));
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);

    /// <summary>Keys as a user gives them, in the form Invoke-Incremental stores them (a key over 256 characters shortened).</summary>
    /// <remarks>A lambda, not the method group: that would bind to Select's overload with the index, as the maximum length.</remarks>
    internal static List<string> AsStored(IEnumerable<string> keys) => keys.Select(key => ItemKey.Bounded(key)).ToList();
}
