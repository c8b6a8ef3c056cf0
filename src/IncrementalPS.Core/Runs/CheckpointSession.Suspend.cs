using System;
using System.Threading;

namespace IncrementalPS.Core;

/// <content>
/// Suspending on request (<see cref="SuspendRequest"/>, or a PostgreSQL store's request row): a timer asks the store
/// about once a second whether someone asked; from then on nothing new starts (<see cref="ItemOutcomeKind.Deferred"/>),
/// the items in flight finish and are recorded, and <see cref="Finish"/> ends the run as Suspended.
/// </content>
internal sealed partial class CheckpointSession
{
    private readonly CancellationTokenSource _suspending = new();
    private Timer? _suspendWatch;

    /// <summary>
    /// Cancelled once the run noticed a request to suspend: a front end stops taking items, waits for those in flight,
    /// then calls <see cref="Finish"/>. Never cancelled by anything else.
    /// </summary>
    public CancellationToken Suspending => _suspending.Token;

    /// <summary>True once the run noticed a request to suspend.</summary>
    public bool IsSuspending => _suspending.IsCancellationRequested;

    /// <summary>Starts looking for a request; called once the run is set up.</summary>
    private void WatchForSuspend()
        => _suspendWatch = new Timer(_ => CheckSuspend(), null, _options.SuspendPoll, _options.SuspendPoll);

    private void CheckSuspend()
    {
        bool requested;
        try
        {
            requested = _store.SuspendRequested;
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException)
        {
            // The request cannot be seen this time (a folder briefly unreadable): the next tick asks again.
            return;
        }

        if (!requested)
        {
            return;
        }

        // Not under the lock: a tick runs on the thread pool, and while an item is claimed or recorded (a server round
        // trip for a shared store) the lock is held; ticks waiting for it starve the pool that the store's own socket
        // reads complete on, and a tick that gave up when it was busy could miss the request for as long as workers
        // keep it busy. Cancelling is thread-safe, and a cancel that races the run's end changes nothing.
        if (Volatile.Read(ref _closed) || _suspending.IsCancellationRequested)
        {
            return;
        }

        _suspending.Cancel();

        // Once is enough: the run only goes on to end.
        StopSuspendWatch();
    }

    private void StopSuspendWatch() => Interlocked.Exchange(ref _suspendWatch, null)?.Dispose();

    /// <summary>The outcome of an item not started because the run is suspending. Under <c>_gate</c>.</summary>
    private ItemOutcome Defer(string key, in KeyEntry entry)
    {
        _progress.Deferred++;
        return new ItemOutcome(key, ItemOutcomeKind.Deferred, entry.Attempts, null, TimeSpan.Zero, hasSavedOutput: false);
    }
}
