using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <content>
/// Items handed over one after another, each result committed with the next item's claim: a store shared over the
/// network (PostgreSQL) then makes one round trip per item instead of two. The rule stays: an outcome is handed back
/// only once its result is committed, so a front end passes an item's output on only when it gets its outcome back.
/// </content>
internal sealed partial class CheckpointSession
{
    // Outcomes whose results were recorded but may not be durable yet, in the order of their items. Under _gate.
    private readonly Queue<KeyValuePair<ItemOutcome, CommitPoint>> _unsettled = new();

    /// <summary>
    /// Handles one item as <see cref="Process"/> does, but does not wait for its result to be committed: that happens
    /// with the next item's claim (or <see cref="SettlePipelined"/>). Returns the outcomes, in order, of the earlier
    /// items whose results are committed now, followed by this one's when it needed no commit (a skip), so usually
    /// the previous item's outcome. For one caller at a time; at the end of the input call
    /// <see cref="SettlePipelined"/> for the rest (<see cref="ProcessHeld"/> and <see cref="Finish"/> settle them too).
    /// </summary>
    /// <exception cref="CheckpointLeaseLostException">An earlier item's result was refused: another worker took it over.</exception>
    public IReadOnlyList<ItemOutcome> ProcessPipelined(string key, Func<ItemAttempt, string?> work, CancellationToken cancellationToken = default)
    {
        try
        {
            var deferred = new StrongBox<CommitPoint>();
            var outcome = ProcessCore(key, work, cancellationToken, deferred);
            lock (_gate)
            {
                _unsettled.Enqueue(new KeyValuePair<ItemOutcome, CommitPoint>(outcome, deferred.Value));
            }

            // This item's claim (if it made one) carried the earlier results: waiting for them costs no trip then.
            return Settle(keepLast: deferred.Value.Log is not null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }

    /// <summary>
    /// <see cref="ProcessPipelined(string, Func{ItemAttempt, string?}, CancellationToken)"/> for a front end that sees
    /// the items that come next: <paramref name="upcoming"/> are their keys, in input order (the few it has read ahead).
    /// A shared store then claims several of them in one trip, so that workers on the same input stop paying a trip for
    /// each key another worker holds. Keys claimed ahead and never reached are let go when the run ends.
    /// </summary>
    /// <exception cref="CheckpointLeaseLostException">An earlier item's result was refused: another worker took it over.</exception>
    public IReadOnlyList<ItemOutcome> ProcessPipelined(string key, IReadOnlyList<string> upcoming, Func<ItemAttempt, string?> work, CancellationToken cancellationToken = default)
    {
        if (_store is not IForeseeingStore foreseeing)
        {
            return ProcessPipelined(key, work, cancellationToken);
        }

        lock (_gate)
        {
            foreseeing.Foresee(WithoutRefusedKeys(upcoming));
        }

        try
        {
            return ProcessPipelined(key, work, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                foreseeing.Foresee(Array.Empty<string>());
            }
        }
    }

    /// <summary>
    /// <paramref name="keys"/> without those the engine refuses when reached (empty, not valid Unicode, or one the store
    /// cannot hold): no key to claim ahead either. The same list, not a copy, when none is refused (every item: no
    /// allocation).
    /// </summary>
    private IReadOnlyList<string> WithoutRefusedKeys(IReadOnlyList<string> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (RefusalOf(keys[i]) is not null)
            {
                return keys.Where(k => RefusalOf(k) is null).ToList();
            }
        }

        return keys;
    }

    /// <summary>Commits the results ProcessPipelined still holds and returns their outcomes, in order.</summary>
    /// <exception cref="CheckpointLeaseLostException">A result was refused: another worker took the item over.</exception>
    public IReadOnlyList<ItemOutcome> SettlePipelined()
    {
        try
        {
            return Settle(keepLast: false);
        }
        catch (Exception ex) when (EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }

    /// <summary>Waits (outside the lock) for the held results to be durable, oldest first, and hands their outcomes back.</summary>
    private List<ItemOutcome> Settle(bool keepLast)
    {
        var settled = new List<ItemOutcome>();
        while (true)
        {
            KeyValuePair<ItemOutcome, CommitPoint> next;
            lock (_gate)
            {
                if (_unsettled.Count == 0 || (keepLast && _unsettled.Count == 1))
                {
                    return settled;
                }

                next = _unsettled.Dequeue();
            }

            WaitDurable(next.Value, next.Key.Kind);
            settled.Add(next.Key);
        }
    }
}
