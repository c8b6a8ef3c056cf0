using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Running;

namespace IncrementalPS.Running.Batching;

/// <summary>
/// -BatchSize without -ThrottleLimit: each batch runs on the pipeline thread in the caller's scope, as a single item
/// does in the sequential mode, with $_ the array of the batch's items.
/// </summary>
internal sealed class SequentialBatches
{
    private readonly CheckpointSession _session;
    private readonly Func<PSObject?, string?> _runItem;
    private readonly Action<ItemOutcome, PSObject?, Exception?> _report;
    private readonly Action<PSObject?, ArgumentException> _keyRefused;
    private readonly CancellationToken _stopping;

    public SequentialBatches(
        CheckpointSession session,
        Func<PSObject?, string?> runItem,
        Action<ItemOutcome, PSObject?, Exception?> report,
        Action<PSObject?, ArgumentException> keyRefused,
        CancellationToken stopping)
    {
        _session = session;
        _runItem = runItem;
        _report = report;
        _keyRefused = keyRefused;
        _stopping = stopping;
    }

    /// <summary>An item the checkpoint says to skip: the engine skips it (and counts it) without running anything.</summary>
    public void Single(string key, PSObject? item)
    {
        var outcome = _session.Process(key, _ => throw new InvalidOperationException("An item that the checkpoint says to skip was about to run; it was not."), _stopping);
        _report(outcome, item, null);
    }

    /// <summary>Runs one batch and reports each of its items.</summary>
    public void Run(IReadOnlyList<string> keys, IReadOnlyList<PSObject?> items)
    {
        Exception? failure = null;
        IReadOnlyList<ItemOutcome> outcomes;
        try
        {
            outcomes = _session.ProcessBatch(
                keys,
                attempt =>
                {
                    try
                    {
                        return _runItem(BatchInput.Of(items, attempt.Positions));
                    }
                    catch (ScriptBlockFailedException exception)
                    {
                        failure = exception;
                        throw;
                    }
                },
                _stopping);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped while waiting between attempts: the batch's items stay in flight and run again on resume.
            throw new PipelineStoppedException();
        }
        catch (ItemKeyRefusedException exception)
        {
            // A key the engine cannot store (not valid Unicode, or one the store cannot hold) refuses the whole batch
            // before anything runs; the message names the key. Rare enough that each item is reported not run, rather
            // than regrouped.
            foreach (var item in items)
            {
                _keyRefused(item, exception);
            }

            return;
        }

        for (var i = 0; i < outcomes.Count; i++)
        {
            _report(outcomes[i], items[i], failure);
        }
    }
}
