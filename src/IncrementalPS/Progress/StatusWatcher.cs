using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Progress;

/// <summary>
/// Get-CheckpointStatus -Wait: follows a live run started elsewhere with Write-Progress (done/total, failed, rate, ETA),
/// refreshed every second on the pipeline thread, until the run ends; read-only, like the status itself.
/// </summary>
internal sealed class StatusWatcher
{
    // Not Invoke-Incremental's id: a watch in the same host as a run must not replace the run's bar.
    private const int ActivityId = ProgressReporter.ActivityId + 1;

    private readonly Cmdlet _cmdlet;
    private readonly CheckpointLocation _location;
    private readonly string _activity;
    private bool _shown;

    public StatusWatcher(Cmdlet cmdlet, CheckpointLocation location)
    {
        _cmdlet = cmdlet;
        _location = location;
        _activity = "Watching checkpoint: " + location.Name;
    }

    /// <summary>
    /// The status once the run ended; null when the run removed its checkpoint (every item completed) or Ctrl+C
    /// stopped the watch.
    /// </summary>
    public CheckpointStatus? Follow(CancellationToken stopping)
    {
        try
        {
            var final = CheckpointWatch.Follow(
                () => CheckpointInspector.ReadStatus(_location),
                status => status.State == CheckpointState.Running,
                Show,
                CheckpointWatch.DefaultInterval,
                stopping);
            if (final is null)
            {
                _cmdlet.WriteVerbose(string.Format(
                    CultureInfo.CurrentCulture,
                    "The run of checkpoint '{0}' ended and removed it: every item completed (a run without -Keep removes a complete checkpoint).",
                    _location.Name));
            }

            return final;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl+C ends the watch, not the run; PowerShell stops the pipeline.
            return null;
        }
        finally
        {
            Complete();
        }
    }

    private void Show(CheckpointStatus status)
    {
        var progress = CheckpointWatch.ToProgress(status);
        var culture = CultureInfo.CurrentCulture;
        var text = string.Format(
            culture,
            "{0:N0}/{1} done, {2:N0} failed, {3:N0} in flight, {4:N1} items/s",
            status.Completed + status.Failed,
            status.Total is long total ? total.ToString("N0", culture) : "?",
            status.Failed,
            status.InFlight,
            status.Rate ?? 0);
        _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, text)
        {
            CurrentOperation = status.Owner?.ToString() ?? string.Empty,
            PercentComplete = progress.PercentComplete is double percent ? (int)Math.Min(100, Math.Floor(percent)) : -1,
            SecondsRemaining = status.Eta is TimeSpan eta ? (int)Math.Min(int.MaxValue, Math.Ceiling(eta.TotalSeconds)) : -1,
        });
        _shown = true;
    }

    private void Complete()
    {
        if (!_shown || _cmdlet.Stopping)
        {
            return;
        }

        _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        _shown = false;
    }
}
