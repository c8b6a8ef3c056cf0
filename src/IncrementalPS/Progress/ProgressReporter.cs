using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Progress;

/// <summary>
/// Shows the engine's progress notifications with Write-Progress: one constant activity id, and a Completed record at
/// the end. Each write is a fresh ProgressRecord: hosts may keep the records they receive (PowerShell.Streams.Progress,
/// thread jobs), and reusing one would rewrite the ones already written. The engine throttles notifications (200 ms) and sends them on
/// the thread that calls it, which is the pipeline thread; $ProgressPreference is honoured by WriteProgress itself.
/// </summary>
internal sealed class ProgressReporter : IProgress<RunProgress>
{
    // Distinct from the small ids scripts usually pick, so a script block's own Write-Progress does not replace ours.
    internal const int ActivityId = 0x1C4E;

    private readonly Cmdlet _cmdlet;
    private readonly string _activity;
    private ProgressRecord? _last;
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private bool _detached;

    public ProgressReporter(Cmdlet cmdlet, string checkpointName)
    {
        _cmdlet = cmdlet;
        _activity = "Invoke-Incremental: " + checkpointName;
    }

    /// <summary>Runs just before the bar's Completed record, to take down records shown under it.</summary>
    public Action? Completing { get; set; }

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

        Show(value, Describe(value));
    }

    /// <summary>Draws the bar with <paramref name="status"/> as its text. Pipeline thread only.</summary>
    public void Show(RunProgress value, string status)
    {
        if (_detached)
        {
            return;
        }

        _last = new ProgressRecord(ActivityId, _activity, status)
        {
            CurrentOperation = value.CurrentKey ?? string.Empty,
            PercentComplete = value.PercentComplete is double percent ? (int)Math.Min(100, Math.Floor(percent)) : -1,
            SecondsRemaining = value.Eta is TimeSpan eta ? (int)Math.Min(int.MaxValue, Math.Ceiling(eta.TotalSeconds)) : -1,
        };
        _cmdlet.WriteProgress(_last);
    }

    /// <summary>Writes the Completed record that removes the progress bar, if one was shown.</summary>
    public void Complete()
    {
        if (_detached)
        {
            return;
        }

        Completing?.Invoke();
        if (_last is null)
        {
            return;
        }

        _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, _last.StatusDescription)
        {
            RecordType = ProgressRecordType.Completed,
            PercentComplete = 100,
        });
        _last = null;
    }

    /// <summary>Completes the bar while an error escapes the cmdlet, unless the pipeline is already being stopped.</summary>
    public void CompleteOnError()
    {
        if (_cmdlet.Stopping)
        {
            return;
        }

        try
        {
            Complete();
        }
        catch (PipelineStoppedException)
        {
            // The pipeline is being torn down as we write: the host drops its progress display with it.
        }
    }

    /// <summary>Stops writing: the pipeline is ending and WriteProgress is no longer allowed.</summary>
    public void Detach() => _detached = true;

    /// <summary>The bar's text; <paramref name="beforeRate"/> (ending in ", ") goes between the failed count and the rate.</summary>
    internal static string Describe(RunProgress value, string beforeRate = "")
    {
        var culture = CultureInfo.CurrentCulture;
        var done = value.Completed + value.Skipped;
        var total = value.Total is long t
            ? (value.TotalIsEstimate ? "~" : string.Empty) + t.ToString("N0", culture)
            : "?";
        return string.Format(
            culture,
            "{0:N0}/{1} done ({2:N0} processed, {3:N0} skipped), {4:N0} failed, {5}{6:N1} items/s",
            done,
            total,
            value.Completed,
            value.Skipped,
            value.Failed,
            beforeRate,
            value.Rate);
    }
}
