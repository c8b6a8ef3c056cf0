using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Progress;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// One progress bar over a parallel run: done/total, failed, items running now against the throttle limit, rate and
/// ETA, with the items' own Write-Progress records shown as its children. Written only on the pipeline thread, at most
/// every <see cref="Interval"/>, with a Completed record for every record shown when the run ends.
/// </summary>
/// <remarks>
/// The engine's notifications arrive on the worker threads that record results, where WriteProgress is not allowed:
/// the bar is drawn from a snapshot the pipeline thread takes itself. Each runspace's records get ids of their own
/// (<see cref="ChildIdBase"/> + slot × <see cref="IdsPerSlot"/> + their id), so two items that both use
/// Write-Progress -Id 1 do not draw over each other.
/// </remarks>
internal sealed class ParallelProgressView : IProgress<RunProgress>
{
    private const int ChildIdBase = 0x10000;
    private const int IdsPerSlot = 1000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Cmdlet _cmdlet;
    // The sequential mode's bar (same id, text and Completed record), drawn here from snapshots.
    private readonly ProgressReporter _bar;
    private readonly int _throttleLimit;
    private readonly Func<int> _running;
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private readonly Dictionary<int, Dictionary<int, ProgressRecord>> _children = new();
    private readonly Stopwatch _sinceLast = new();
    private Func<RunProgress>? _snapshot;
    private bool _detached;

    public ParallelProgressView(Cmdlet cmdlet, string checkpointName, int throttleLimit, Func<int> running)
    {
        _cmdlet = cmdlet;
        _bar = new ProgressReporter(cmdlet, checkpointName) { Completing = CompleteAllChildren };
        _throttleLimit = throttleLimit;
        _running = running;
    }

    /// <summary>Where the bar's numbers come from, once the run has started.</summary>
    public void Attach(Func<RunProgress> snapshot) => _snapshot = snapshot;

    /// <summary>The engine's notification: only its final one matters here (it ends the bar).</summary>
    public void Report(RunProgress value)
    {
        if (value.IsFinal && Environment.CurrentManagedThreadId == _pipelineThreadId)
        {
            Complete();
        }
    }

    /// <summary>Redraws the bar when <see cref="Interval"/> has passed since the last time (or always, with <paramref name="force"/>).</summary>
    public void Tick(bool force = false)
    {
        if (_detached || _snapshot is null || (!force && _sinceLast.IsRunning && _sinceLast.Elapsed < Interval))
        {
            return;
        }

        _sinceLast.Restart();
        var value = _snapshot();
        var running = string.Format(CultureInfo.CurrentCulture, "{0} running (throttle {1}), ", _running(), _throttleLimit);
        _bar.Show(value, ProgressReporter.Describe(value, running));
    }

    /// <summary>An item's own Write-Progress record, shown under the run's bar.</summary>
    public void WriteChild(int slot, ProgressRecord record)
    {
        if (_detached)
        {
            return;
        }

        Tick();
        var id = ChildId(slot, record.ActivityId);
        var child = new ProgressRecord(id, record.Activity, record.StatusDescription)
        {
            ParentActivityId = record.ParentActivityId < 0 ? ProgressReporter.ActivityId : ChildId(slot, record.ParentActivityId),
            CurrentOperation = record.CurrentOperation,
            PercentComplete = record.PercentComplete,
            SecondsRemaining = record.SecondsRemaining,
            RecordType = record.RecordType,
        };

        if (!_children.TryGetValue(slot, out var open))
        {
            open = new Dictionary<int, ProgressRecord>();
            _children.Add(slot, open);
        }

        if (record.RecordType == ProgressRecordType.Completed)
        {
            open.Remove(id);
        }
        else
        {
            open[id] = child;
        }

        _cmdlet.WriteProgress(child);
    }

    /// <summary>Takes down what an item left on screen when it ends, so the next item in its runspace starts clean.</summary>
    public void CompleteChildren(int slot)
    {
        if (_detached || !_children.TryGetValue(slot, out var open) || open.Count == 0)
        {
            return;
        }

        foreach (var record in open.Values)
        {
            _cmdlet.WriteProgress(new ProgressRecord(record.ActivityId, record.Activity, record.StatusDescription)
            {
                ParentActivityId = record.ParentActivityId,
                RecordType = ProgressRecordType.Completed,
            });
        }

        open.Clear();
    }

    /// <summary>Writes the Completed records that remove the bar and its children, if they were shown.</summary>
    public void Complete() => _bar.Complete();

    /// <summary>Completes the bar while an error escapes the cmdlet, unless the pipeline is already being stopped.</summary>
    public void CompleteOnError() => _bar.CompleteOnError();

    /// <summary>Stops writing: the pipeline is ending and WriteProgress is no longer allowed.</summary>
    public void Detach()
    {
        _detached = true;
        _bar.Detach();
    }

    private void CompleteAllChildren()
    {
        foreach (var slot in new List<int>(_children.Keys))
        {
            CompleteChildren(slot);
        }
    }

    private static int ChildId(int slot, int id)
        => ChildIdBase + (slot * IdsPerSlot) + (((id % IdsPerSlot) + IdsPerSlot) % IdsPerSlot);
}
