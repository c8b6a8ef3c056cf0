using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace IncrementalPS.Core;

/// <content>
/// Batches: several keys run by one call of the work (an API that takes many rows at once) and recorded together,
/// all completed or all failed. Skips, poison items, retries and stopping follow <see cref="Process"/>'s rules.
/// </content>
internal sealed partial class CheckpointSession
{
    /// <summary>
    /// Whether <see cref="Process"/> would skip <paramref name="key"/> now without running it: completed, failed and
    /// not to be retried, or already handled in this run. A front end builds batches from the keys that are not, so
    /// a resumed run's batches are made of the items still to do. Changes nothing.
    /// </summary>
    public bool IsSettled(string key)
    {
        lock (_gate)
        {
            EnsureOpen();
            if (!_store.TryGet(key, out var entry))
            {
                return false;
            }

            return entry.Status switch
            {
                KeyStatus.Completed => true,
                KeyStatus.Failed => entry.Run == _run || !_options.RetryFailed,
                KeyStatus.Started => entry.Run == _run,
                _ => false,
            };
        }
    }

    /// <summary>
    /// Handles a batch of keys: each is skipped (or poisoned) as <see cref="Process"/> would; the others are claimed
    /// together, <paramref name="work"/> runs once for them (told their positions in <paramref name="keys"/>), with
    /// retries, and all of them are recorded completed, or all failed with the batch's error, before this returns.
    /// Returns one outcome per key, in order. With nothing left to run, <paramref name="work"/> is not called.
    /// </summary>
    /// <exception cref="ArgumentException">A key is empty or not valid Unicode; nothing was recorded.</exception>
    /// <exception cref="CheckpointIOException">Recording failed (a full disk): what was recorded before is kept.</exception>
    public IReadOnlyList<ItemOutcome> ProcessBatch(IReadOnlyList<string> keys, Func<BatchAttempt, string?> work, CancellationToken cancellationToken = default)
    {
        try
        {
            return ProcessBatchCore(keys, work, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }

    private ItemOutcome[] ProcessBatchCore(IReadOnlyList<string> keys, Func<BatchAttempt, string?> work, CancellationToken cancellationToken)
    {
        if (keys is null)
        {
            throw new ArgumentNullException(nameof(keys));
        }

        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        foreach (var key in keys)
        {
            if (RefusalOf(key) is { } refusal)
            {
                throw new ItemKeyRefusedException(refusal, nameof(keys));
            }
        }

        var outcomes = new ItemOutcome[keys.Count];
        var claims = new List<ItemClaim>(keys.Count);
        var positions = new List<int>(keys.Count);
        lock (_gate)
        {
            ThrowIfUnusable();
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i];
                _progress.NoteSeen(key);
                if (TrySkip(key, out var skipped, out var entry))
                {
                    outcomes[i] = skipped;
                    continue;
                }

                if (_suspending.IsCancellationRequested)
                {
                    outcomes[i] = Defer(key, entry);
                    continue;
                }

                var deaths = entry.Status == KeyStatus.Interrupted ? entry.Deaths : 0;
                if (!_store.TryClaim(key, entry.Attempts + 1, deaths, out var claim))
                {
                    outcomes[i] = DeclinedOutcome(key, entry.Attempts);
                    if (outcomes[i].Kind == ItemOutcomeKind.SkippedDuplicate)
                    {
                        _progress.Skipped++;
                    }

                    continue;
                }

                claims.Add(claim);
                positions.Add(i);
            }

            _progress.MaybeReport();
        }

        if (claims.Count == 0)
        {
            return outcomes;
        }

        for (var attemptInRun = 1; ; attemptInRun++)
        {
            if (attemptInRun > 1)
            {
                lock (_gate)
                {
                    EnsureOpen();
                    for (var c = 0; c < claims.Count; c++)
                    {
                        claims[c] = _store.Reclaim(claims[c], claims[c].Attempt + 1);
                    }
                }
            }

            var started = Stopwatch.GetTimestamp();
            string? output;
            try
            {
                output = work(new BatchAttempt(positions, attemptInRun, cancellationToken));
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                LeaveAllUnfinished(claims);
                throw;
            }
            catch (StopForLaterException stop)
            {
                // Not a result and not worth a retry now: the batch's items run again on the next run.
                stop.Key ??= keys[positions[0]];
                LeaveAllUnfinished(claims);
                throw;
            }
            catch (Exception ex)
            {
                var error = _describeError(ex);
                if (!_retry.ShouldRetry(attemptInRun))
                {
                    RecordAll(keys, claims, positions, outcomes, ItemOutcomeKind.Failed, started, output: null, error);
                    return outcomes;
                }

                var delay = _retry.DelayAfter(attemptInRun);
                _options.OnRetry?.Invoke(new RetryNotice(keys[positions[0]], attemptInRun, _retry.MaxAttempts, delay, error));
                if (cancellationToken.WaitHandle.WaitOne(delay))
                {
                    LeaveAllUnfinished(claims);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                continue;
            }

            RecordAll(keys, claims, positions, outcomes, ItemOutcomeKind.Completed, started, output, error: null);
            return outcomes;
        }
    }

    /// <summary>Records every claimed key of a batch under one lock, then waits until they are durable.</summary>
    private void RecordAll(IReadOnlyList<string> keys, List<ItemClaim> claims, List<int> positions, ItemOutcome[] outcomes, ItemOutcomeKind kind, long started, string? output, ItemError? error)
    {
        var ended = Stopwatch.GetTimestamp();
        var duration = Timestamps.Between(started, ended);
        var points = new CommitPoint[claims.Count];
        lock (_gate)
        {
            EnsureOpen();
            for (var c = 0; c < claims.Count; c++)
            {
                var claim = claims[c];
                points[c] = RecordLocked(claim, kind, duration, ended, output, error);
                outcomes[positions[c]] = new ItemOutcome(keys[positions[c]], kind, claim.Attempt, error, duration, hasSavedOutput: false);
            }

            _progress.MaybeReport(ended);
        }

        // The first wait makes them all durable; each is asked, so that a result a shared store refused is not missed.
        foreach (var point in points)
        {
            WaitDurable(point, kind);
        }
    }

    private void LeaveAllUnfinished(List<ItemClaim> claims)
    {
        foreach (var claim in claims)
        {
            LeaveUnfinished(claim, deaths: 0);
        }
    }
}
