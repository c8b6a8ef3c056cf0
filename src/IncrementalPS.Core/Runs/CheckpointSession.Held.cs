using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace IncrementalPS.Core;

/// <content>
/// The end of the input for a run that shares its store with other workers: the items it skipped because another
/// worker held them are waited for, and taken over when that worker's lease lapses, so that the last worker standing
/// finishes the job. Only those items are remembered (with their work), never the whole input.
/// </content>
internal sealed partial class CheckpointSession
{
    // Keys declined because another live worker held them, with the work to run if this run takes them over.
    private readonly Dictionary<string, Func<ItemAttempt, string?>> _held = new(StringComparer.Ordinal);

    /// <summary>Items skipped because another worker held them, not yet settled.</summary>
    public int HeldElsewhere
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>
    /// Call at the end of the input, before <see cref="Finish"/>: waits for the items other workers held when this run
    /// reached them, runs those whose holder died (its lease lapsed), and hands each one's outcome to
    /// <paramref name="onOutcome"/> as it is settled (finished by the other worker: a skip). Returns when none is left.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void ProcessHeld(Action<ItemOutcome> onOutcome, CancellationToken cancellationToken = default)
    {
        if (onOutcome is null)
        {
            throw new ArgumentNullException(nameof(onOutcome));
        }

        try
        {
            ProcessHeldCore(onOutcome, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }

    private void ProcessHeldCore(Action<ItemOutcome> onOutcome, CancellationToken cancellationToken)
    {
        foreach (var outcome in Settle(keepLast: false))
        {
            onOutcome(outcome);
        }

        while (true)
        {
            List<KeyValuePair<string, Func<ItemAttempt, string?>>> pending;
            lock (_gate)
            {
                ThrowIfUnusable();

                // Suspending: items other workers held are theirs to finish or to leave for the resume.
                if (_held.Count == 0 || _suspending.IsCancellationRequested)
                {
                    return;
                }

                pending = _held.ToList();

                // Where each stands now, in a few round trips for all of them rather than one each.
                _store.Refresh(_held.Keys);
            }

            foreach (var held in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryTakeOver(held.Key, out var settled, out var claim, out var deaths))
                {
                    onOutcome(RunClaimed(held.Key, held.Value, claim, deaths, cancellationToken));
                }
                else if (settled is { } outcome)
                {
                    onOutcome(outcome);
                }
            }

            lock (_gate)
            {
                if (_held.Count == 0)
                {
                    return;
                }
            }

            if (cancellationToken.WaitHandle.WaitOne(_options.HeldItemPoll))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// Claims a held item if its holder let go of it (true), or settles it when the holder finished it
    /// (<paramref name="settled"/>), or leaves it remembered while it is still held.
    /// </summary>
    private bool TryTakeOver(string key, out ItemOutcome? settled, out ItemClaim claim, out int deaths)
    {
        settled = null;
        claim = default;
        deaths = 0;
        lock (_gate)
        {
            EnsureOpen();
            if (TrySkipSettled(key, out settled))
            {
                return false;
            }

            _store.TryGet(key, out var entry);
            deaths = entry.Status == KeyStatus.Interrupted ? entry.Deaths : 0;
            if (_store.TryClaim(key, entry.Attempts + 1, deaths, out claim))
            {
                _held.Remove(key);
                return true;
            }

            // Declined again: the store now knows why. Poisoned (its lease lapsed once too often) or finished
            // meanwhile: settled; still held: wait.
            var declined = DeclinedOutcome(key, entry.Attempts);
            if (declined.Kind == ItemOutcomeKind.Poisoned)
            {
                _held.Remove(key);
                settled = declined;
                return false;
            }

            TrySkipSettled(key, out settled);
            return false;
        }
    }

    private bool TrySkipSettled(string key, out ItemOutcome? settled)
    {
        settled = null;
        if (IsHeldElsewhere(key))
        {
            return false;
        }

        if (TrySkip(key, out var skipped, out _))
        {
            _held.Remove(key);
            settled = skipped;
            return true;
        }

        return false;
    }

    /// <summary>Remembers <paramref name="key"/> when the store says another live worker holds it; false otherwise.</summary>
    private bool RememberIfHeld(string key, Func<ItemAttempt, string?> work)
    {
        if (!IsHeldElsewhere(key) || _held.ContainsKey(key))
        {
            return false;
        }

        _held.Add(key, work);
        return true;
    }

    private bool IsHeldElsewhere(string key)
        => _store.TryGet(key, out var entry) && entry.Status == KeyStatus.Started && entry.Run != _run;
}
