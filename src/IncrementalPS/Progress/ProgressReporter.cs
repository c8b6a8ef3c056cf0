using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Progress;

/// <summary>
/// Shows the engine's progress notifications with Write-Progress: one constant activity id, one reused
/// ProgressRecord, and a Completed record at the end. The engine throttles notifications (200 ms) and sends them on
/// the thread that calls it, which is the pipeline thread; $ProgressPreference is honoured by WriteProgress itself.
/// </summary>
internal sealed class ProgressReporter : IProgress<RunProgress>
{
    // Distinct from the small ids scripts usually pick, so a script block's own Write-Progress does not replace ours.
    private const int ActivityId = 0x1C4E;

    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private bool _written;
    private bool _detached;

    public ProgressReporter(Cmdlet cmdlet, string checkpointName)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(ActivityId, "Invoke-Incremental: " + checkpointName, "Starting");
    }

    public void Report(RunProgress value)
    {
        // WriteProgress is only valid on the pipeline thread and inside Begin/Process/EndProcessing; after Detach
        // (Dispose, when the pipeline is being torn down) the host clears progress itself.
        if (_detached || Environment.CurrentManagedThreadId != _pipelineThreadId)
        {
            return;
        }

        if (value.IsFinal)
        {
            Complete();
            return;
        }

        _record.RecordType = ProgressRecordType.Processing;
        _record.StatusDescription = Describe(value);
        _record.CurrentOperation = value.CurrentKey ?? string.Empty;
        _record.PercentComplete = value.PercentComplete is double percent ? (int)Math.Min(100, Math.Floor(percent)) : -1;
        _record.SecondsRemaining = value.Eta is TimeSpan eta ? (int)Math.Min(int.MaxValue, Math.Ceiling(eta.TotalSeconds)) : -1;
        _cmdlet.WriteProgress(_record);
        _written = true;
    }

    /// <summary>Writes the Completed record that removes the progress bar, if one was shown.</summary>
    public void Complete()
    {
        if (_detached || !_written)
        {
            return;
        }

        _record.RecordType = ProgressRecordType.Completed;
        _record.PercentComplete = 100;
        _record.SecondsRemaining = -1;
        _cmdlet.WriteProgress(_record);
        _written = false;
    }

    /// <summary>Stops writing: the pipeline is ending and WriteProgress is no longer allowed.</summary>
    public void Detach() => _detached = true;

    private static string Describe(RunProgress value)
    {
        var culture = CultureInfo.CurrentCulture;
        var done = value.Completed + value.Skipped;
        var total = value.Total is long t
            ? (value.TotalIsEstimate ? "~" : string.Empty) + t.ToString("N0", culture)
            : "?";
        return string.Format(
            culture,
            "{0:N0}/{1} done ({2:N0} processed, {3:N0} skipped), {4:N0} failed, {5:N1} items/s",
            done,
            total,
            value.Completed,
            value.Skipped,
            value.Failed,
            value.Rate);
    }
}
