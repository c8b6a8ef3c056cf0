using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Store;

/// <summary>
/// Items of a worker on a PostgreSQL store, one round trip each: an item's result rides with the next item's claim
/// (CheckpointSession.ProcessPipelined). A pipeline cannot say whether a next item is coming, so a result
/// nobody carried within <see cref="CarryWait"/> is committed on its own, from a timer: a slow or stalled input never
/// leaves a finished item uncommitted for longer than that. A failed item is committed at once, so that its error is
/// written in its place among the output.
/// </summary>
internal sealed class SharedStoreItems : IDisposable
{
    /// <summary>How long a result waits for the next item's claim to carry it.</summary>
    internal static readonly TimeSpan CarryWait = TimeSpan.FromMilliseconds(100);

    private readonly CheckpointSession _session;
    private readonly Action<ItemOutcome, PSObject?> _report;
    private readonly Timer _carry;
    // Outcomes the timer settled, reported by the pipeline thread (the only one that may write to the pipeline).
    private readonly ConcurrentQueue<ItemOutcome> _settledByTimer = new();
    // Taken by the pipeline thread for each call and by the timer only when free: the two never use the session at once.
    private readonly object _turn = new();
    private Exception? _timerFailure;
    private bool _disposed;

    /// <param name="session">The worker's session on the shared store.</param>
    /// <param name="report">Reports an outcome, with the item when it is the one just handed over (else null).</param>
    public SharedStoreItems(CheckpointSession session, Action<ItemOutcome, PSObject?> report)
    {
        _session = session;
        _report = report;
        _carry = new Timer(_ => SettleFromTimer(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Runs one item; reports the outcomes committed by its claim (usually the item before), and its own when it failed.
    /// <paramref name="upcoming"/>: the keys of the items that follow it, which the store may claim in the same trip.
    /// </summary>
    /// <exception cref="CheckpointException">The store failed, or an earlier result was refused (the item was taken over).</exception>
    public void Process(string key, IReadOnlyList<string> upcoming, PSObject? item, Func<ItemAttempt, string?> work, Func<bool> failed, CancellationToken cancellation)
    {
        lock (_turn)
        {
            _carry.Change(Timeout.Infinite, Timeout.Infinite);
            try
            {
                ReportTimerOutcomes();
                foreach (var outcome in _session.ProcessPipelined(key, upcoming, work, cancellation))
                {
                    _report(outcome, outcome.Key == key ? item : null);
                }

                if (failed())
                {
                    Settle(key, item);
                }
            }
            finally
            {
                // Also when this item threw (a key the store refused, a stop): the earlier result must not wait for
                // a next item that may be minutes away. With nothing held, the tick settles nothing.
                _carry.Change(CarryWait, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Commits what is still held and reports it: at the end of the input, before waiting for held items.</summary>
    /// <exception cref="CheckpointException">A result was refused, or the store failed.</exception>
    public void Drain()
    {
        lock (_turn)
        {
            _carry.Change(Timeout.Infinite, Timeout.Infinite);
            ReportTimerOutcomes();
            Settle(key: null, item: null);
        }
    }

    /// <summary>Stops the timer; a tick in progress ends first, so nothing settles once the session is gone.</summary>
    public void Dispose()
    {
        lock (_turn)
        {
            _disposed = true;
            _carry.Dispose();
        }
    }

    private void Settle(string? key, PSObject? item)
    {
        foreach (var outcome in _session.SettlePipelined())
        {
            _report(outcome, outcome.Key == key ? item : null);
        }
    }

    private void ReportTimerOutcomes()
    {
        if (Interlocked.Exchange(ref _timerFailure, null) is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        while (_settledByTimer.TryDequeue(out var outcome))
        {
            _report(outcome, null);
        }
    }

    private void SettleFromTimer()
    {
        // The pipeline thread is at work: it carries the result itself, or re-arms the timer.
        if (!Monitor.TryEnter(_turn))
        {
            return;
        }

        try
        {
            if (_disposed)
            {
                return;
            }

            foreach (var outcome in _session.SettlePipelined())
            {
                _settledByTimer.Enqueue(outcome);
            }
        }
        catch (Exception ex)
        {
            // Reported on the pipeline thread, by the next item or the end of the input: an exception escaping a timer
            // would end the whole process.
            Interlocked.CompareExchange(ref _timerFailure, ex, null);
        }
        finally
        {
            Monitor.Exit(_turn);
        }
    }
}
