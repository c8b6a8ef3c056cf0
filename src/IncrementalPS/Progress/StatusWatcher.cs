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
    private readonly string _name;
    private readonly string _activity;
    private bool _shown;

    public StatusWatcher(Cmdlet cmdlet, string name)
    {
        _cmdlet = cmdlet;
        _name = name;
        _activity = "Watching checkpoint: " + name;
    }

    /// <summary>Follows a checkpoint file while its run holds it.</summary>
    public CheckpointStatus? Follow(CheckpointLocation location, CancellationToken stopping)
        => Follow(
            () => CheckpointInspector.ReadStatus(location),
            status => status.State == CheckpointState.Running,
            CheckpointWatch.ToProgress,
            status => status.Owner?.ToString(),
            stopping);

    /// <summary>Follows a PostgreSQL checkpoint while any worker is live (its counts are over all workers).</summary>
    public SharedCheckpointStatus? Follow(PostgresTarget database, CancellationToken stopping)
        => Follow(
            () => PostgresStatusReader.Read(database, _name),
            status => status.LiveWorkers.Count > 0,
            CheckpointWatch.ToProgress,
            status => string.Format(CultureInfo.CurrentCulture, "{0} live worker(s)", status.LiveWorkers.Count),
            stopping);

    /// <summary>
    /// The status once the run ended; null when the run removed its checkpoint (every item completed) or Ctrl+C
    /// stopped the watch.
    /// </summary>
    private T? Follow<T>(Func<T> read, Func<T, bool> isLive, Func<T, RunProgress> progress, Func<T, string?> operation, CancellationToken stopping)
        where T : class
    {
        try
        {
            var final = CheckpointWatch.Follow(read, isLive, status => Show(progress(status), operation(status)), CheckpointWatch.DefaultInterval, stopping);
            if (final is null)
            {
                _cmdlet.WriteVerbose(string.Format(
                    CultureInfo.CurrentCulture,
                    "The run of checkpoint '{0}' ended and removed it: every item completed (a run without -Keep removes a complete checkpoint).",
                    _name));
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

    private void Show(RunProgress progress, string? operation)
    {
        var culture = CultureInfo.CurrentCulture;
        var text = string.Format(
            culture,
            "{0:N0}/{1} done, {2:N0} failed, {3:N0} in flight, {4:N1} items/s",
            progress.Processed,
            progress.Total is long total ? total.ToString("N0", culture) : "?",
            progress.Failed,
            progress.Seen - progress.Processed,
            progress.Rate);
        _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, text)
        {
            CurrentOperation = operation ?? string.Empty,
            PercentComplete = progress.PercentComplete is double percent ? (int)Math.Min(100, Math.Floor(percent)) : -1,
            SecondsRemaining = progress.Eta is TimeSpan eta ? (int)Math.Min(int.MaxValue, Math.Ceiling(eta.TotalSeconds)) : -1,
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
