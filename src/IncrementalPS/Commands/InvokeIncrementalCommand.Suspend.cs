using IncrementalPS.Core;
using IncrementalPS.Errors;

namespace IncrementalPS.Commands;

/// <content>
/// Suspend-Checkpoint from another shell: the engine notices the request (about once a second) and starts nothing new;
/// here the run ends at the next item boundary, once the items in flight are recorded, as Suspended. The pipeline
/// cannot be stopped upstream without stopping the whole script, so the rest of the input is let through unread.
/// </content>
public sealed partial class InvokeIncrementalCommand
{
    /// <summary>Ends the run as Suspended when it was asked to suspend; true when it has ended (now or before).</summary>
    private bool EndIfSuspending()
    {
        if (_session is null)
        {
            return true;
        }

        if (!_session.IsSuspending)
        {
            return false;
        }

        RunSummary summary;
        try
        {
            // Not the batch in the making: its items are new work, left for the resume. The items in flight are waited for.
            _runner!.End();
            if (_parallel is not null)
            {
                RunStep(_parallel.Drain);
            }

            // Results still riding with a next item that will not come, and a refusal the timer found, before the end.
            _shared?.Drain();
            summary = _session.Finish();
        }
        catch (CheckpointException exception)
        {
            _progress!.Complete();
            ThrowTerminatingError(ErrorRecords.ForCheckpoint(exception, _location!.FilePath));
            return true;
        }
        finally
        {
            _progress!.Detach();
            _parallel?.Detach();
        }

        _shared?.Dispose();
        _session.Dispose();
        _session = null;
        ReportSummary(summary);
        return true;
    }

    private void WarnIfSuspended(RunSummary summary)
    {
        if (summary.State != CheckpointState.Suspended)
        {
            return;
        }

        var command = HintTarget(summary);
        WriteWarning(Format(
            "Checkpoint '{0}' was suspended on request: the items in flight were finished and recorded ({1} completed, {2} failed in " +
            "this run) and nothing new was started; the rest of the input is not run now. Run the same command again to resume; " +
            "until then 'Get-CheckpointStatus {3}' shows it Suspended.",
            summary.Name,
            summary.Completed,
            summary.Failed,
            command));
    }
}
